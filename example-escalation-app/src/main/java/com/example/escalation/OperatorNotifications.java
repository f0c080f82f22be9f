package com.example.escalation;

import io.camunda.client.annotation.JobWorker;
import io.camunda.client.annotation.Variable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.stereotype.Component;

/** This application's own job worker: the approvals an operator must look at, with Feishu's code and log id. */
@Component
public class OperatorNotifications {

  /** What an operator was told. */
  public record Notice(String approvalTaskId, long feishuErrorCode, String feishuLogId) {}

  private final List<Notice> sent = new CopyOnWriteArrayList<>();

  @JobWorker(type = "notify-operator")
  public void notifyOperator(@Variable String approvalTaskId, @Variable Long feishuErrorCode,
      @Variable String feishuLogId) {
    sent.add(new Notice(approvalTaskId, feishuErrorCode == null ? 0 : feishuErrorCode, feishuLogId));
  }

  public List<Notice> sent() {
    return List.copyOf(sent);
  }
}
