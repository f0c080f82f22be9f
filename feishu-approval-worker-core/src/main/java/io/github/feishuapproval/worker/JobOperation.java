package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.feishuapproval.feishu.ApiRequest;
import io.github.feishuapproval.feishu.FeishuOperation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job type and everything needed to turn its variables into one Feishu call. Adding an operation is adding one of
 * these to {@link JobOperations}.
 *
 * @param assembly what the body needs beyond the fields' own values
 * @param storeApps whether Feishu offers the API to store apps too, or to self-built apps only
 */
public record JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields,
    SuccessVariables onSuccess, BodyAssembly assembly, boolean storeApps) {

  public JobOperation {
    fields = List.copyOf(fields);
  }

  /** An operation open to self-built and store apps whose body is its fields. */
  public JobOperation(String jobType, FeishuOperation feishu, List<InputField> fields, SuccessVariables onSuccess) {
    this(jobType, feishu, fields, onSuccess, BodyAssembly.NONE, true);
  }

  /** Either the request to send, or every problem found, each naming its variable. */
  public sealed interface Parsed {
    record Valid(ApiRequest request, Map<String, String> pathIds) implements Parsed {}

    record Invalid(List<String> problems) implements Parsed {}
  }

  public List<String> variableNames() {
    return fields.stream().map(InputField::variable).toList();
  }

  /** Parses variables outside of any job (keys 0): for operations whose body takes nothing from the job. */
  public Parsed parse(JsonNode variables) {
    return parse(variables, new JobKeys(0, 0));
  }

  public Parsed parse(JsonNode variables, JobKeys job) {
    Map<String, Object> assembled = new LinkedHashMap<>();
    Map<String, String> path = new LinkedHashMap<>();
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
          case ASSEMBLED -> assembled.put(field.variable(), read);
        }
      } catch (InputProblem problem) {
        problems.add(field.variable() + " " + problem.getMessage());
      } catch (RuntimeException unreadable) {
        // such as a number too large for any type (1e400): named as the variable's problem, never echoed
        problems.add(field.variable() + " is not a usable value (" + unreadable.getClass().getSimpleName() + ")");
      }
    }
    if (problems.isEmpty()) assembly.assemble(assembled, body, job, problems);
    if (!problems.isEmpty()) return new Parsed.Invalid(problems);
    return new Parsed.Valid(new ApiRequest(feishu, path, body, tenantKey), pathIds);
  }
}
