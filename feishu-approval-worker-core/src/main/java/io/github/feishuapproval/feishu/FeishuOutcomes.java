package io.github.feishuapproval.feishu;

/** One-line descriptions of outcomes, for probes and messages; none of them carries a secret. */
final class FeishuOutcomes {

  private FeishuOutcomes() {}

  public static String describe(FeishuOutcome outcome) {
    return switch (outcome) {
      case FeishuOutcome.ConfigurationError c -> (c.code() > 0 ? "code " + c.code() + " (" + c.msg() + ")" : c.msg())
          + ": " + c.remedy();
      case FeishuOutcome.Transient t -> t.reason();
      case FeishuOutcome.RateLimited r -> r.reason();
      case FeishuOutcome.BusinessError b -> "code " + b.code() + " (" + b.msg() + ")";
      case FeishuOutcome.NotSent n -> n.reason();
      case FeishuOutcome.Success s -> "no failure";
    };
  }
}
