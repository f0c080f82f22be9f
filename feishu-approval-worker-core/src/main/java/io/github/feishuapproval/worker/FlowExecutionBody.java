package io.github.feishuapproval.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * The parts of a flow's execute request no single variable gives: the operator as the JSON string Feishu takes, and
 * an idempotency key that stays the same for every attempt of one job, so that Feishu refuses to start the flow twice.
 */
final class FlowExecutionBody implements BodyAssembly {

  static final String OPERATOR_USER_ID = "operatorUserId";
  static final String OPERATOR_EMAIL = "operatorEmail";
  static final String IDEMPOTENT_KEY = "idempotentKey";

  @Override
  public void assemble(Map<String, Object> assembled, Map<String, Object> body, JobKeys job, List<String> problems) {
    Object userId = assembled.get(OPERATOR_USER_ID);
    Object email = assembled.get(OPERATOR_EMAIL);
    if (userId == null && email == null) {
      problems.add(OPERATOR_USER_ID + " or " + OPERATOR_EMAIL + " is missing: Feishu needs the aPaaS user who starts "
          + "the flow, by user ID or email");
      return;
    }
    ObjectNode operator = JsonNodeFactory.instance.objectNode();
    // the official SDK's example writes the aPaaS user id as a JSON number; its exact digits are kept
    if (userId != null) operator.put("_id", new BigInteger((String) userId));
    if (email != null) operator.put("email", (String) email);
    body.put("operator", operator.toString());
    Object given = assembled.get(IDEMPOTENT_KEY);
    if (given == null && job == null) {
      problems.add(IDEMPOTENT_KEY + " is missing and there is no job to derive it from");
      return;
    }
    // the key the modeler gave, or one made of the job's keys
    body.put("idempotent_key", given != null ? (String) given : job.reference());
  }
}
