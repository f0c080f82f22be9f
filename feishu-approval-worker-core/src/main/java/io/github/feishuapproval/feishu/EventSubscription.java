package io.github.feishuapproval.feishu;

import java.util.Objects;
import java.util.Optional;

/**
 * The keys of one app's event subscription in the Feishu developer console. Both are secrets: {@link #toString()}
 * redacts them.
 *
 * @param encryptKey the Encrypt Key; empty when the console has none, and then Feishu pushes plain JSON, unsigned
 */
public record EventSubscription(String appId, String verificationToken, Optional<String> encryptKey) {

  public EventSubscription {
    Objects.requireNonNull(appId, "appId");
    Objects.requireNonNull(verificationToken, "verificationToken");
    if (appId.isBlank()) throw new IllegalArgumentException("the app id is blank");
    if (verificationToken.isBlank()) throw new IllegalArgumentException("the Verification Token is blank");
    // configuration hands an unset key over as an empty string: an empty key is no key
    encryptKey = encryptKey == null ? Optional.empty() : encryptKey.filter(key -> !key.isBlank());
  }

  @Override
  public String toString() {
    return "EventSubscription[appId=" + appId + ", verificationToken=<redacted>, encryptKey="
        + (encryptKey.isPresent() ? "<redacted>" : "<none>") + "]";
  }
}
