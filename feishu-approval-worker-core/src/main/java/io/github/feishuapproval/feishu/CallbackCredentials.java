package io.github.feishuapproval.feishu;

import java.util.Objects;

/**
 * What a flow's callback must show for one app: the shared secret, sent as it is in a header or used as the key of
 * an HMAC-SHA256 signature, and whether only signed callbacks are taken. {@link #toString()} hides the secret.
 */
public record CallbackCredentials(String secret, boolean signatureRequired) {

  public CallbackCredentials {
    Objects.requireNonNull(secret, "secret");
    if (secret.isBlank()) throw new IllegalArgumentException("a callback secret must not be blank");
  }

  @Override
  public String toString() {
    return "CallbackCredentials[secret=<redacted>, signatureRequired=" + signatureRequired + "]";
  }
}
