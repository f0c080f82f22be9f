package io.github.feishuapproval.feishu;

import java.util.Objects;

/**
 * A verified decision an aPaaS flow sent back through its HTTP node: the message it is for, and its variables as the
 * JSON object the flow sent (kept as text, so that long ids keep every digit). {@code messageId} names the decision,
 * so that the node's retries come to one message. {@code tenantId} is the Camunda tenant the message goes to, one the
 * app serves, or null for the client's default tenant when the app lists none.
 */
public record FlowCallback(String messageName, String correlationKey, String messageId, String variablesJson,
    String tenantId) {

  public FlowCallback {
    Objects.requireNonNull(messageName, "messageName");
    Objects.requireNonNull(correlationKey, "correlationKey");
    Objects.requireNonNull(messageId, "messageId");
    Objects.requireNonNull(variablesJson, "variablesJson");
  }
}
