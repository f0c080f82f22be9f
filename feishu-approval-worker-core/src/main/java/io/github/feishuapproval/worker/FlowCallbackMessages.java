package io.github.feishuapproval.worker;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.command.ClientHttpException;
import io.camunda.client.api.command.ClientStatusException;
import io.camunda.client.api.response.PublishMessageResponse;
import io.github.feishuapproval.feishu.FlowCallback;
import io.github.feishuapproval.feishu.SeenEvents;
import io.grpc.Status;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns a verified flow callback into one Camunda message, however often the flow's HTTP node sends it, over
 * whichever transport the client speaks (REST or gRPC).
 *
 * <p>Each message id (with its app, message name and correlation key) is remembered in {@link SeenEvents}, the shared
 * store when there is one, only after Camunda accepted it; a repeat is then answered without publishing. While one
 * request publishes, a short claim keeps a second one, on this replica or another, from publishing too. When Camunda
 * does not take the message nothing is remembered, so the flow's retry publishes. The message id also goes to Camunda,
 * which refuses a second message of that id while the first is buffered: should the store lose the memory, that
 * refusal still counts as published.
 */
public final class FlowCallbackMessages {

  private final CamundaClient camunda;
  private final SeenEvents seen;
  private final Duration timeToLive;
  private final Duration memory;
  private final Duration publishTimeout;
  private final Duration storeTimeout;

  /**
   * @param timeToLive how long Camunda buffers a message no process waits for yet
   * @param memory how long a published message id is remembered, to answer the node's retries without publishing
   * @param publishTimeout how long one publish may take before the callback is answered 503
   * @param storeTimeout how long one call to {@code seen} may take
   */
  public FlowCallbackMessages(CamundaClient camunda, SeenEvents seen, Duration timeToLive, Duration memory,
      Duration publishTimeout, Duration storeTimeout) {
    this.camunda = Objects.requireNonNull(camunda, "camunda");
    this.seen = Objects.requireNonNull(seen, "seen");
    this.timeToLive = Objects.requireNonNull(timeToLive, "timeToLive");
    this.memory = Objects.requireNonNull(memory, "memory");
    this.publishTimeout = Objects.requireNonNull(publishTimeout, "publishTimeout");
    this.storeTimeout = Objects.requireNonNull(storeTimeout, "storeTimeout");
  }

  /** @param app the configured app the callback came for; message ids are told apart per app */
  public CallbackDelivery deliver(String app, FlowCallback callback) {
    String id = app + '\n' + callback.tenantId() + '\n' + callback.messageName() + '\n' + callback.correlationKey()
        + '\n' + callback.messageId();
    String claim = "callback-publishing\n" + id;
    String published = "callback-published\n" + id;
    // outlives a publish that runs into its timeout, so that the claim never ends while its holder still publishes
    Optional<Boolean> claimed = await(seen.firstTime(claim, publishTimeout.multipliedBy(2).plus(storeTimeout)));
    if (claimed.isEmpty()) return new CallbackDelivery.NotDelivered("the shared store could not be reached");
    if (!claimed.get()) return new CallbackDelivery.InProgress();
    try {
      Optional<Boolean> before = await(seen.seen(published));
      if (before.isEmpty()) return new CallbackDelivery.NotDelivered("the shared store could not be reached");
      if (before.get()) return new CallbackDelivery.AlreadyPublished();
      CallbackDelivery delivery = publish(callback);
      if (!(delivery instanceof CallbackDelivery.NotDelivered)) {
        // if the store misses this, Camunda's own check of the message id answers the retry
        await(seen.firstTime(published, memory));
      }
      return delivery;
    } finally {
      // a claim the store did not drop runs out by itself; until then a retry hears "in progress"
      await(seen.forget(claim));
    }
  }

  private CallbackDelivery publish(FlowCallback callback) {
    try {
      var command = camunda.newPublishMessageCommand()
          .messageName(callback.messageName())
          .correlationKey(callback.correlationKey())
          .messageId(callback.messageId())
          .timeToLive(timeToLive)
          .variables(callback.variablesJson());
      if (callback.tenantId() != null) command = command.tenantId(callback.tenantId());
      PublishMessageResponse response = command
          .requestTimeout(publishTimeout)
          .send()
          .join(publishTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
      return new CallbackDelivery.Published(response.getMessageKey());
    } catch (RuntimeException failure) {
      if (alreadyExists(failure)) return new CallbackDelivery.AlreadyPublished();
      return new CallbackDelivery.NotDelivered("Camunda did not accept the message (" + describe(failure) + ")");
    }
  }

  /** Camunda refuses a message whose id it still buffers: gRPC ALREADY_EXISTS, HTTP 409. */
  private static boolean alreadyExists(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof ClientStatusException grpc) return grpc.getStatusCode() == Status.Code.ALREADY_EXISTS;
    return t instanceof ClientHttpException http && http.code() == 409;
  }

  /** The kind of failure and its status, never the message text: a gateway may echo the variables back. */
  private String describe(Throwable failure) {
    Throwable t = unwrap(failure);
    if (t instanceof ClientStatusException grpc) return "gRPC " + grpc.getStatusCode();
    if (t instanceof ClientHttpException http) return "HTTP " + http.code();
    if (t instanceof TimeoutException) return "no answer within " + publishTimeout.toMillis() + " ms";
    return t.getClass().getSimpleName();
  }

  /** The first cause that tells what happened: the client wraps its failures once or twice, by transport. */
  private static Throwable unwrap(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ClientStatusException || t instanceof ClientHttpException || t instanceof TimeoutException) {
        return t;
      }
    }
    return failure;
  }

  private <T> Optional<T> await(CompletionStage<T> stage) {
    try {
      return Optional.ofNullable(stage.toCompletableFuture().get(storeTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
