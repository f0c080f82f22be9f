package io.github.feishuapproval.feishu;

/** Either a usable token or the outcome that stops the call (a token fetch can fail like any call). */
sealed interface TokenResult {
  record Issued(TenantToken token) implements TokenResult {}

  record Refused(FeishuOutcome outcome) implements TokenResult {}
}
