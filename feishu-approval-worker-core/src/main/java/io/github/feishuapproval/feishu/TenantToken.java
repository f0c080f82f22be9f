package io.github.feishuapproval.feishu;

import java.time.Instant;

/** A tenant_access_token and the moment we stop using it. Never printed. */
record TenantToken(String value, Instant refreshAt) {

  @Override
  public String toString() {
    return "TenantToken[<redacted>, refreshAt=" + refreshAt + "]";
  }
}
