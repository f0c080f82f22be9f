package io.github.feishuapproval.worker;

import io.camunda.client.api.command.ClientHttpException;
import io.camunda.client.api.command.ClientStatusException;
import io.grpc.Status;
import java.util.concurrent.CompletionException;

/** Why the gateway did not take a job command, told by what becomes of the job, over either transport. */
enum CommandRefusal {

  /** HTTP 404, gRPC NOT_FOUND: the job is gone; it timed out and another worker ended it, or it was cancelled. */
  GONE("the engine no longer has this job: it timed out and another worker took it, or its process instance was "
      + "cancelled; nothing is left for this worker to do"),

  /** HTTP 409, gRPC FAILED_PRECONDITION: the job is in a state that does not take the command. */
  WRONG_STATE("the job is in a state that does not take this command (its timeout ran out and another worker failed "
      + "it, or an operator changed it); this worker leaves it as it is"),

  /** Anything else: the command may never have arrived, and the job comes back once its timeout has run out. */
  NOT_DELIVERED("the job comes back after its timeout");

  private final String consequence;

  CommandRefusal(String consequence) {
    this.consequence = consequence;
  }

  String consequence() {
    return consequence;
  }

  static CommandRefusal of(Throwable failure) {
    Throwable t = failure;
    while (t instanceof CompletionException && t.getCause() != null) t = t.getCause();
    if (t instanceof ClientHttpException http) {
      return http.code() == 404 ? GONE : http.code() == 409 ? WRONG_STATE : NOT_DELIVERED;
    }
    if (t instanceof ClientStatusException grpc) {
      Status.Code code = grpc.getStatusCode();
      return code == Status.Code.NOT_FOUND ? GONE : code == Status.Code.FAILED_PRECONDITION ? WRONG_STATE
          : NOT_DELIVERED;
    }
    return NOT_DELIVERED;
  }
}
