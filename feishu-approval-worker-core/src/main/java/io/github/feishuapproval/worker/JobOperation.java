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
 * @param assembly what the body needs beyond the fields' own values
 * @param storeApps whether Feishu offers the API to store apps too, or to self-built apps only
 * @param invocation how the request is carried out: one call, or a call with a follow-up of its own
 * @param exactlyOneOf groups of optional variables of which exactly one must be given
 */
public record JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields,
    SuccessVariables onSuccess, BodyAssembly assembly, boolean storeApps, Invocation invocation,
    List<List<String>> exactlyOneOf) {

  public JobOperation {
    fields = List.copyOf(fields);
    exactlyOneOf = exactlyOneOf.stream().map(List::copyOf).toList();
  }

  /** An operation open to self-built and store apps whose body is its fields, carried out in one call. */
  public JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields, SuccessVariables onSuccess) {
    this(jobType, feishu, fields, onSuccess, BodyAssembly.NONE, true, FeishuClient::call, List.of());
  }

  /** An operation of one call whose body needs more than its fields, or that Feishu offers to self-built apps only. */
  public JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields, SuccessVariables onSuccess,
      BodyAssembly assembly, boolean storeApps) {
    this(jobType, feishu, fields, onSuccess, assembly, storeApps, FeishuClient::call, List.of());
  }

  /** An operation open to self-built and store apps, carried out its own way, with variables that exclude each other. */
  public JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields, SuccessVariables onSuccess,
      Invocation invocation, List<List<String>> exactlyOneOf) {
    this(jobType, feishu, fields, onSuccess, BodyAssembly.NONE, true, invocation, exactlyOneOf);
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

  /** Parses variables outside of any job: an idempotency key the variables leave out is then a problem. */
  public Parsed parse(JsonNode variables) {
    return parse(variables, null);
  }

  /**
   * @param job the keys of the job the variables came with, which stand in for an idempotency key the variables leave
   *     out: the same for every activation of one job, so that a retry or a takeover carries the same key; null when
   *     there is no job
   */
  public Parsed parse(JsonNode variables, JobKeys job) {
    Map<String, Object> assembled = new LinkedHashMap<>();
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
          if (job == null) problems.add(field.variable() + " is missing and there is no job to derive it from");
          else body.put(field.feishuName(), job.reference());
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
          case ASSEMBLED -> assembled.put(field.variable(), read);
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
    if (problems.isEmpty()) assembly.assemble(assembled, body, job, problems);
    if (!problems.isEmpty()) return new Parsed.Invalid(problems);
    return new Parsed.Valid(new ApiRequest(feishu, path, body, tenantKey, query), pathIds);
  }

  private static boolean given(JsonNode value) {
    return !value.isMissingNode() && !value.isNull() && !(value.isTextual() && value.textValue().isBlank());
  }
}
