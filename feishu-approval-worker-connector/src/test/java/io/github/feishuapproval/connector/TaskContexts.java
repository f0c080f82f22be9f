package io.github.feishuapproval.connector;

import io.camunda.connector.api.document.Document;
import io.camunda.connector.api.document.DocumentCreationRequest;
import io.camunda.connector.api.document.DocumentReference;
import io.camunda.connector.api.outbound.JobContext;
import io.camunda.connector.api.outbound.OutboundConnectorContext;
import java.util.Map;

/** What the runtime hands the connector for one task, written by hand: its headers, variables and keys. */
final class TaskContexts {

  private TaskContexts() {}

  static OutboundConnectorContext task(String operation, String variables, long elementInstanceKey) {
    JobContext job = new JobContext() {
      @Override public Map<String, String> getCustomHeaders() {
        return Map.of(FeishuTasks.OPERATION, operation);
      }
      @Override public String getVariables() {
        return variables;
      }
      @Override public String getType() {
        return FeishuApprovalConnector.TYPE;
      }
      @Override public long getProcessInstanceKey() {
        return 1;
      }
      @Override public String getBpmnProcessId() {
        return "process";
      }
      @Override public int getProcessDefinitionVersion() {
        return 1;
      }
      @Override public long getProcessDefinitionKey() {
        return 1;
      }
      @Override public String getElementId() {
        return "task";
      }
      @Override public long getElementInstanceKey() {
        return elementInstanceKey;
      }
      @Override public String getTenantId() {
        return "<default>";
      }
    };
    return new OutboundConnectorContext() {
      @Override public JobContext getJobContext() {
        return job;
      }
      @Override public <T> T bindVariables(Class<T> cls) {
        throw new UnsupportedOperationException("the connector reads the variables itself");
      }
      @Override public Document resolve(DocumentReference reference) {
        throw new UnsupportedOperationException();
      }
      @Override public Document create(DocumentCreationRequest request) {
        throw new UnsupportedOperationException();
      }
    };
  }
}
