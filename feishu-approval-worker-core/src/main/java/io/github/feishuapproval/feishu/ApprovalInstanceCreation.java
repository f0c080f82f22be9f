package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Creates a Feishu Approval (审批 v4) instance at most once per creation {@code uuid}. Feishu refuses a second creation
 * with the same uuid; then the instance the first one made is looked up by that uuid (the GET accepts it in place of
 * the instance code) and the creation counts as done, with that instance's code.
 */
public final class ApprovalInstanceCreation {

  private ApprovalInstanceCreation() {}

  /**
   * @param request a {@link FeishuOperation#V4_CREATE_INSTANCE} request whose body carries a {@code uuid}
   * @return a success whose data is {@code {instance_code, uuid}}, or the outcome that stands in its way
   */
  public static CompletableFuture<FeishuOutcome> create(FeishuClient feishu, ApiRequest request, Duration within) {
    long answerBy = System.nanoTime() + within.toNanos();
    String uuid = String.valueOf(request.body().get("uuid"));
    return feishu.call(request, within).thenCompose(outcome -> switch (outcome) {
      case FeishuOutcome.Success created -> CompletableFuture.completedFuture(withUuid(created, uuid));
      // the code of a repeated uuid is not reliably documented (60012, or another in v4): the lookup decides
      case FeishuOutcome.BusinessError refused -> lookUp(feishu, request, uuid, refused, answerBy);
      default -> CompletableFuture.completedFuture(outcome);
    });
  }

  private static CompletableFuture<FeishuOutcome> lookUp(FeishuClient feishu, ApiRequest create, String uuid,
      FeishuOutcome.BusinessError refused, long answerBy) {
    ApiRequest get = new ApiRequest(FeishuOperation.V4_GET_INSTANCE, Map.of("instance_id", uuid), Map.of(),
        create.tenantKey());
    Duration left = Duration.ofNanos(Math.max(answerBy - System.nanoTime(), 0));
    return feishu.call(get, left).thenApply(found -> switch (found) {
      case FeishuOutcome.Success existing when existing.data().path("instance_code").isTextual() ->
          (FeishuOutcome) withUuid(existing, uuid);
      // no instance has this uuid: the creation was refused for what Feishu said
      case FeishuOutcome.Success nothing -> refused;
      case FeishuOutcome.BusinessError nothing -> refused;
      // not known yet whether the instance exists: the job comes back, and the uuid keeps the retry from doubling it
      default -> found;
    });
  }

  private static FeishuOutcome.Success withUuid(FeishuOutcome.Success answer, String uuid) {
    ObjectNode data = JsonNodeFactory.instance.objectNode();
    JsonNode code = answer.data().path("instance_code");
    data.put("instance_code", code.isTextual() ? code.textValue() : "");
    data.put("uuid", uuid);
    return new FeishuOutcome.Success(answer.code(), answer.msg(), answer.logId(), data);
  }
}
