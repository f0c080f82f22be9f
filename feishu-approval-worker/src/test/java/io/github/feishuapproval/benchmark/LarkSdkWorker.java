package io.github.feishuapproval.benchmark;

import com.lark.oapi.Client;
import com.lark.oapi.service.apaas.v1.model.RejectApprovalTaskReq;
import com.lark.oapi.service.apaas.v1.model.RejectApprovalTaskReqBody;
import com.lark.oapi.service.apaas.v1.model.RejectApprovalTaskResp;
import io.camunda.client.annotation.JobWorker;
import io.camunda.client.api.response.ActivatedJob;
import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * What a user would write without this project: a Spring {@code @JobWorker} with default settings that rejects the
 * task through the official Lark Java SDK and blocks until Feishu answers. Not a {@code @Configuration}, so the
 * worker application's component scan passes it by.
 */
@EnableAutoConfiguration
public class LarkSdkWorker {

  static final String JOB_TYPE = "benchmark-lark-sdk-reject";

  @Bean
  RejectThroughLarkSdk rejectThroughLarkSdk(@Value("${benchmark.lark.base-url}") String baseUrl,
      @Value("${benchmark.lark.app-id}") String appId, @Value("${benchmark.lark.app-secret}") String appSecret) {
    return new RejectThroughLarkSdk(Client.newBuilder(appId, appSecret).openBaseUrl(baseUrl).build());
  }

  /** The handler as the SDK's documentation would have it: one blocking call, an exception when Feishu says no. */
  public static class RejectThroughLarkSdk {
    private final Client lark;

    RejectThroughLarkSdk(Client lark) {
      this.lark = lark;
    }

    @JobWorker(type = JOB_TYPE)
    public void reject(ActivatedJob job) throws Exception {
      Map<String, Object> variables = job.getVariablesAsMap();
      RejectApprovalTaskResp answer = lark.apaas().v1().approvalTask().reject(RejectApprovalTaskReq.newBuilder()
          .approvalTaskId(String.valueOf(variables.get("approvalTaskId")))
          .rejectApprovalTaskReqBody(RejectApprovalTaskReqBody.newBuilder()
              .userId(String.valueOf(variables.get("userId")))
              .build())
          .build());
      if (!answer.success()) {
        throw new IllegalStateException("Feishu answered " + answer.getCode() + ": " + answer.getMsg());
      }
    }
  }
}
