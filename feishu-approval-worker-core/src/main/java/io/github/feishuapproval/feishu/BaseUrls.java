package io.github.feishuapproval.feishu;

import java.net.URI;
import java.util.Set;

/** Feishu is reached over HTTPS; plain HTTP only to this machine, where the sandbox and tests run a simulator. */
public final class BaseUrls {

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");
  private static final java.util.regex.Pattern IPV4_LOOPBACK =
      java.util.regex.Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

  private BaseUrls() {}

  public static void requireSafe(URI baseUrl) {
    String scheme = baseUrl.getScheme();
    String host = baseUrl.getHost();
    if (host == null || scheme == null) {
      throw new IllegalArgumentException("the Feishu base URL must be absolute, like https://open.feishu.cn");
    }
    if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null || baseUrl.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the Feishu base URL may not carry user info, a query or a fragment");
    }
    boolean loopback = LOOPBACK.contains(host.toLowerCase(java.util.Locale.ROOT)) || IPV4_LOOPBACK.matcher(host).matches();
    if (scheme.equalsIgnoreCase("https") || (scheme.equalsIgnoreCase("http") && loopback)) return;
    throw new IllegalArgumentException("the Feishu base URL must use https (plain http is allowed only for "
        + "localhost, 127.0.0.1 and ::1), got " + scheme + "://" + host);
  }
}
