package io.github.feishuapproval.worker;

/** A variable that cannot be sent as it is; the message completes the sentence "&lt;variable&gt; ...". */
final class InputProblem extends RuntimeException {
  InputProblem(String problem) {
    super(problem, null, false, false);
  }
}
