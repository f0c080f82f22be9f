package io.github.feishuapproval.feishu;

import java.util.List;
import java.util.Objects;

/**
 * What a flow's callback must show for one app: the shared secret, sent as it is in a header or used as the key of
 * an HMAC-SHA256 signature, and whether only signed callbacks are taken; and the Camunda tenants the app serves, the
 * only ones its callbacks may publish to. {@link #toString()} hides the secret.
 */
public record CallbackCredentials(String secret, boolean signatureRequired, List<String> camundaTenants) {

  public CallbackCredentials {
    Objects.requireNonNull(secret, "secret");
    if (secret.isBlank()) throw new IllegalArgumentException("a callback secret must not be blank");
    camundaTenants = List.copyOf(camundaTenants);
  }

  /** For an app that serves no Camunda tenant of its own: its messages go to the client's default tenant. */
  public CallbackCredentials(String secret, boolean signatureRequired) {
    this(secret, signatureRequired, List.of());
  }

  @Override
  public String toString() {
    return "CallbackCredentials[secret=<redacted>, signatureRequired=" + signatureRequired + ", camundaTenants="
        + camundaTenants + "]";
  }
}
