package io.github.feishuapproval.feishu;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Where an app's tenant tokens come from: a self-built app has one, for its own tenant; a store app one per customer
 * tenant that installed it, named by its {@code tenant_key}.
 */
interface TokenSource {

  /** A cached token, the fetch already under way, or a new fetch; {@code tenantKey} is empty for a self-built app. */
  CompletableFuture<TokenResult> token(String tenantKey);

  /** Forgets {@code rejected} unless a newer token already replaced it. */
  void invalidate(String tenantKey, TenantToken rejected);

  /** How many times a token was requested from Feishu since start. */
  long fetchCount();

  /** What the probes show, never a token, secret or ticket. */
  Map<String, Object> healthDetails();

  /** Whether the last failure was one that only an operator can fix. */
  boolean misconfigured();
}
