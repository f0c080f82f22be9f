package io.github.feishuapproval.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.feishu.EventVerdict.ApprovalEvent;
import io.github.feishuapproval.feishu.EventVerdict.Refused;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An event from the long connection: plain JSON, no signature, parsed and checked as a verified push is. */
class EventVerifierTrustedTest {

  private static final String APP_ID = "cli_selfbuilt000001";
  private static final String TOKEN = "vt-WOMBAT-1b2c3d";
  private final EventVerifier verifier = new EventVerifier(new FeishuClientTest.MutableClock());

  @Test
  void aPlainApprovalEventWithoutSignatureOrTimestampIsAnApprovalEvent() {
    assertThat(verifier.verifyTrusted(APP_ID, Optional.of(TOKEN), event(TOKEN, APP_ID)))
        .isInstanceOfSatisfying(ApprovalEvent.class, event -> {
          assertThat(event.eventId()).isEqualTo("ev-lc-1");
          assertThat(event.instanceCode()).isEqualTo("IC-1");
          assertThat(event.uuid()).isEqualTo("create-1");
        });
  }

  @Test
  void anEventWithoutATokenIsTakenAndOneWithAnotherTokenIsRefused() {
    assertThat(verifier.verifyTrusted(APP_ID, Optional.of(TOKEN), event(null, APP_ID)))
        .isInstanceOf(ApprovalEvent.class);
    assertThat(verifier.verifyTrusted(APP_ID, Optional.empty(), event("any", APP_ID)))
        .isInstanceOf(ApprovalEvent.class);
    assertThat(verifier.verifyTrusted(APP_ID, Optional.of(TOKEN), event("vt-other", APP_ID)))
        .isInstanceOfSatisfying(Refused.class, refused -> assertThat(refused.reason()).doesNotContain(TOKEN));
  }

  @Test
  void anEventForAnotherAppOrNotJsonIsRefused() {
    assertThat(verifier.verifyTrusted(APP_ID, Optional.empty(), event(null, "cli_other"))).isInstanceOfSatisfying(
        Refused.class, refused -> assertThat(refused.status()).isEqualTo(403));
    assertThat(verifier.verifyTrusted(APP_ID, Optional.empty(), "[1]".getBytes(UTF_8))).isInstanceOf(Refused.class);
  }

  private static byte[] event(String token, String appId) {
    return FeishuEventPushes.approvalEventV1("approval_instance", appId, token, "ev-lc-1", Map.of("approval_code",
        "AC-1", "instance_code", "IC-1", "status", "APPROVED", "uuid", "create-1"), Instant.now()).getBytes(UTF_8);
  }
}
