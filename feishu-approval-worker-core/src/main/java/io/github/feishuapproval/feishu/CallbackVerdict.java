package io.github.feishuapproval.feishu;

import java.util.Optional;

/** What one flow callback comes to. Every callback ends in exactly one of these; none is thrown. */
public sealed interface CallbackVerdict {

  /**
   * Genuine and well formed: publish it. {@code signedRequest} is the memory key of a signed callback, to be released
   * when publishing fails, so that the flow's identical retry is not taken for a replay.
   */
  record Accepted(FlowCallback callback, Optional<String> signedRequest) implements CallbackVerdict {}

  /**
   * Not accepted: answer this 4xx status and change nothing. {@code reason} is one sentence for the log; it never
   * contains the secret, a signature or the body.
   */
  record Refused(int status, String reason) implements CallbackVerdict {}

  /** Not decided: the memory of signed callbacks could not be reached. Answer 503; the flow sends it again. */
  record Unavailable(String reason) implements CallbackVerdict {}
}
