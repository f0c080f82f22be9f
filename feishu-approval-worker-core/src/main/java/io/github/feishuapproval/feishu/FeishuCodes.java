package io.github.feishuapproval.feishu;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Feishu's generic error codes sorted by what a careful client does about them. */
final class FeishuCodes {

  public enum Kind { SUCCESS, BUSINESS, TRANSIENT, RATE_LIMITED, TOKEN_REJECTED, CONFIGURATION }

  static final Set<Integer> TRANSIENT = Set.of(1500, 5000, 10101, 10500, 2320002, 10012, 10013,
      // Feishu Approval (审批 v4): server error, retry with backoff
      1395001);
  static final Set<Integer> RATE_LIMITED = Set.of(99991400, 1000004, 1000005);
  static final Set<Integer> TOKEN_REJECTED = Set.of(99991661, 99991663, 99991664, 99991665, 99991671);
  static final Set<Integer> CONFIGURATION =
      Set.of(10014, 10015, 20002, 99991401, 99991403, 99991662, 99991672, 99991673, 99991676, 99991679);

  private static final Pattern BRACKETED_SCOPES = Pattern.compile("\\[([^\\[\\]]*:[^\\[\\]]*)]");
  private static final Pattern SCOPE = Pattern.compile("\\b[a-z_]+(?::[a-z_.]+)+\\b");

  private FeishuCodes() {}

  public static Kind classify(int code) {
    if (code == 0) return Kind.SUCCESS;
    if (TRANSIENT.contains(code)) return Kind.TRANSIENT;
    if (RATE_LIMITED.contains(code)) return Kind.RATE_LIMITED;
    if (TOKEN_REJECTED.contains(code)) return Kind.TOKEN_REJECTED;
    if (CONFIGURATION.contains(code)) return Kind.CONFIGURATION;
    return Kind.BUSINESS;
  }

  /** What an operator should change, in one sentence, for a configuration code. */
  public static String remedy(int code, String msg) {
    return switch (code) {
      case 99991672 -> "grant the app the API scope " + missingScope(msg)
          + " in the Feishu developer console and publish a new app version";
      case 99991673, 99991676, 99991679 ->
          "make sure the app is authorised for this API and the aPaaS data permission is granted by the aPaaS app admin";
      case 99991401 -> "add this worker's egress IP to the app's IP allow-list, or remove the allow-list";
      case 99991403 -> "the monthly API quota is used up: raise it or wait for the next month";
      case 10014, 99991662 -> "the Feishu app is disabled: enable it in the developer console";
      case 10015, 20002 -> "check FEISHU_APP_ID and FEISHU_APP_SECRET: they do not match a self-built app";
      default -> "check the Feishu app configuration";
    };
  }

  static String missingScope(String msg) {
    if (msg != null) {
      Matcher bracketed = BRACKETED_SCOPES.matcher(msg);
      if (bracketed.find()) return bracketed.group(1).trim();
      Matcher bare = SCOPE.matcher(msg);
      if (bare.find()) return bare.group();
    }
    return "app_engine:approval:write (see Feishu's message for the exact scope)";
  }
}
