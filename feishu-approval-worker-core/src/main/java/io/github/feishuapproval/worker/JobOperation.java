package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.feishuapproval.feishu.ApiRequest;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuOperation;
import io.github.feishuapproval.feishu.FeishuOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A job type and everything needed to turn its variables into one Feishu call. Adding an operation is adding one of
 * these to {@link JobOperations}.
 *
 * @param invocation how the request is carried out: one call, or a call with a follow-up of its own
 * @param exactlyOneOf groups of optional variables of which exactly one must be given
 */
public record JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields,
    SuccessVariables onSuccess, Invocation invocation, List<List<String>> exactlyOneOf) {

  public JobOperation {
    fields = List.copyOf(fields);
    exactlyOneOf = exactlyOneOf.stream().map(List::copyOf).toList();
  }

  /** An operation of one call. */
  public JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields, SuccessVariables onSuccess) {
    this(jobType, feishu, fields, onSuccess, FeishuClient::call, List.of());
  }

  /** Carries out a valid request within the time given; the future always completes with an outcome. */
  @FunctionalInterface
  public interface Invocation {
    CompletableFuture<FeishuOutcome> invoke(FeishuClient feishu, ApiRequest request, Duration within);
  }

  /** Either the request to send, or every problem found, each naming its variable. */
  public sealed interface Parsed {
    record Valid(ApiRequest request, Map<String, String> pathIds) implements Parsed {}

    record Invalid(List<String> problems) implements Parsed {}
  }

  public List<String> variableNames() {
    return fields.stream().map(InputField::variable).toList();
  }

  public Parsed parse(JsonNode variables) {
    return parse(variables, null);
  }

  /**
   * @param jobReference what stands in for an idempotency key the variables leave out: the same for every activation
   *     of one job, so that a retry or a takeover carries the same key; null when there is no job
   */
  public Parsed parse(JsonNode variables, String jobReference) {
    Map<String, String> path = new LinkedHashMap<>();
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, Object> body = new LinkedHashMap<>();
    Map<String, String> pathIds = new LinkedHashMap<>();
    Optional<String> tenantKey = Optional.empty();
    List<String> problems = new ArrayList<>();
    for (InputField field : fields) {
      JsonNode value = variables.path(field.variable());
      // a template field left blank may still arrive as an empty string: for an optional field that means "not given"
      boolean blankOptional = !field.required() && value.isTextual() && value.textValue().isBlank();
      if (value.isMissingNode() || value.isNull() || blankOptional) {
        if (field.required()) problems.add(field.variable() + " is missing");
        if (field.type() instanceof FieldType.CreationUuid) {
          if (jobReference == null) problems.add(field.variable() + " is missing and there is no job to derive it from");
          else body.put(field.feishuName(), jobReference);
        }
        continue;
      }
      try {
        Object read = field.type().read(value);
        switch (field.placement()) {
          case PATH -> {
            path.put(field.feishuName(), (String) read);
            pathIds.put(field.variable(), (String) read);
          }
          case BODY -> body.put(field.feishuName(), read);
          case TENANT -> tenantKey = Optional.of((String) read);
          case QUERY -> query.put(field.feishuName(), (String) read);
        }
      } catch (InputProblem problem) {
        problems.add(field.variable() + " " + problem.getMessage());
      } catch (RuntimeException unreadable) {
        // such as a number too large for any type (1e400): named as the variable's problem, never echoed
        problems.add(field.variable() + " is not a usable value (" + unreadable.getClass().getSimpleName() + ")");
      }
    }
    for (List<String> group : exactlyOneOf) {
      long given = group.stream().filter(name -> given(variables.path(name))).count();
      if (given != 1) {
        problems.add("exactly one of " + String.join(", ", group) + " must be given; " + given + " are");
      }
    }
    if (!problems.isEmpty()) return new Parsed.Invalid(problems);
    return new Parsed.Valid(new ApiRequest(feishu, path, body, tenantKey, query), pathIds);
  }

  private static boolean given(JsonNode value) {
    return !value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.textValue().isBlank());
  }
}
