package io.github.feishuapproval.worker;

/** What became of one verified flow callback on its way to Camunda. None is thrown. */
public sealed interface CallbackDelivery {

  /** Camunda accepted the message: answer 200. */
  record Published(long messageKey) implements CallbackDelivery {}

  /** This message id was published before, by this replica or another: answer 200, publish nothing. */
  record AlreadyPublished() implements CallbackDelivery {}

  /**
   * Another request with this message id is being published right now: answer 503, so that the flow asks again and
   * hears how that one ended.
   */
  record InProgress() implements CallbackDelivery {}

  /**
   * Camunda did not take it (gateway or broker unreachable, too slow, refusing), or the shared store could not be
   * reached: answer 503; nothing is remembered, so the flow's retry publishes. {@code reason} is for the log.
   */
  record NotDelivered(String reason) implements CallbackDelivery {}
}
