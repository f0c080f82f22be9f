package io.github.feishuapproval.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.feishu.CallbackVerdict.Accepted;
import io.github.feishuapproval.feishu.CallbackVerdict.Refused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/** What a flow's callback must show before anything is published, decided from bytes, headers and a clock. */
class FlowCallbackVerifierTest {

  private static final String SECRET = "callback-secret-7f3a9c";
  private static final CallbackCredentials PLAIN = new CallbackCredentials(SECRET, false);
  private static final CallbackCredentials SIGNED_ONLY = new CallbackCredentials(SECRET, true);
  private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
  private static final String BODY = "{\"correlationKey\":\"exec-1\",\"messageId\":\"exec-1/task-9\","
      + "\"variables\":{\"decision\":\"agree\",\"userId\":1783981209205788123,\"opinion\":\"好\"}}";

  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final FlowCallbackVerifier verifier = new FlowCallbackVerifier(clock, new LocalSeenEvents(clock, 100),
      Duration.ofMinutes(5), Duration.ofSeconds(1));

  @Test
  void theSecretInItsHeaderIsAcceptedAndTheBodyBecomesAMessageWithEveryDigitKept() {
    CallbackVerdict verdict = verifier.verify(PLAIN, BODY.getBytes(UTF_8), Map.of("x-callback-secret", SECRET));

    assertThat(verdict).isEqualTo(new Accepted(new FlowCallback("feishu-apaas-decision", "exec-1", "exec-1/task-9",
        "{\"decision\":\"agree\",\"userId\":1783981209205788123,\"opinion\":\"好\"}", null), Optional.empty()));
  }

  @Test
  void aCallbackGoesToTheOneCamundaTenantItsAppServesOrToTheOneItNamesOfSeveral() {
    Map<String, String> secret = Map.of(FlowCallbackVerifier.SECRET, SECRET);
    CallbackCredentials one = new CallbackCredentials(SECRET, false, List.of("tenant-a"));
    CallbackCredentials several = new CallbackCredentials(SECRET, false, List.of("tenant-a", "tenant-b"));
    String naming = "{\"correlationKey\":\"k\",\"messageId\":\"i\",\"tenantId\":\"tenant-b\"}";
    String silent = "{\"correlationKey\":\"k\",\"messageId\":\"i\"}";

    assertThat(verifier.verify(one, silent.getBytes(UTF_8), secret)).isEqualTo(
        new Accepted(new FlowCallback("feishu-apaas-decision", "k", "i", "{}", "tenant-a"), Optional.empty()));
    assertThat(verifier.verify(several, naming.getBytes(UTF_8), secret)).isEqualTo(
        new Accepted(new FlowCallback("feishu-apaas-decision", "k", "i", "{}", "tenant-b"), Optional.empty()));
    // a secret of one app never reaches a tenant the app does not serve, nor guesses among several
    assertThat(verifier.verify(one, naming.getBytes(UTF_8), secret)).isInstanceOfSatisfying(Refused.class,
        refused -> assertThat(refused.status()).isEqualTo(400));
    assertThat(verifier.verify(PLAIN, naming.getBytes(UTF_8), secret)).isInstanceOfSatisfying(Refused.class,
        refused -> assertThat(refused.status()).isEqualTo(400));
    assertThat(verifier.verify(several, silent.getBytes(UTF_8), secret)).isInstanceOfSatisfying(Refused.class,
        refused -> assertThat(refused.reason()).contains("tenantId must name one"));
  }

  @Test
  void aSignedCallbackIsAcceptedWithoutTheSecretInAnyHeader() {
    assertThat(verifier.verify(SIGNED_ONLY, BODY.getBytes(UTF_8), signed(BODY, NOW)))
        .isInstanceOf(Accepted.class);
  }

  @Test
  void aForgedOrMissingSecretIsRefusedWith401() {
    assertThat(verifier.verify(PLAIN, BODY.getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET, SECRET + "x")))
        .isEqualTo(new Refused(401, "X-Callback-Secret is not the callback secret set for this app"));
    assertThat(status(verifier.verify(PLAIN, BODY.getBytes(UTF_8), Map.of()))).isEqualTo(401);
  }

  @Test
  void aWrongSignatureOrABodyChangedAfterSigningIsRefusedWith401() {
    Map<String, String> headers = signed(BODY, NOW);
    String changed = BODY.replace("agree", "reject");

    assertThat(status(verifier.verify(PLAIN, changed.getBytes(UTF_8), headers))).isEqualTo(401);
    assertThat(status(verifier.verify(PLAIN, BODY.getBytes(UTF_8), Map.of(
        FlowCallbackVerifier.TIMESTAMP, headers.get(FlowCallbackVerifier.TIMESTAMP),
        FlowCallbackVerifier.SIGNATURE, FlowCallbackVerifier.signature("guessed", headers.get(
            FlowCallbackVerifier.TIMESTAMP), BODY.getBytes(UTF_8)))))).isEqualTo(401);
  }

  @Test
  void aStaleTimestampIsRefusedEvenWithAGenuineSignature() {
    assertThat(verifier.verify(PLAIN, BODY.getBytes(UTF_8), signed(BODY, NOW.minusSeconds(301))))
        .isEqualTo(new Refused(401, "the callback is stale: its X-Callback-Timestamp is 301 s off this worker's "
            + "clock, more than the 300 s allowed"));
  }

  @Test
  void aSignedCallbackSentAgainIsAReplayUntilPublishingItFailed() {
    Map<String, String> headers = signed(BODY, NOW);
    CallbackVerdict first = verifier.verify(PLAIN, BODY.getBytes(UTF_8), headers);

    assertThat(status(verifier.verify(PLAIN, BODY.getBytes(UTF_8), headers))).isEqualTo(409);
    verifier.release((Accepted) first);
    assertThat(verifier.verify(PLAIN, BODY.getBytes(UTF_8), headers)).isInstanceOf(Accepted.class);
  }

  @Test
  void anUnsignedCallbackIsRefusedWhereSignaturesAreRequiredEvenWithTheRightSecret() {
    assertThat(status(verifier.verify(SIGNED_ONLY, BODY.getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET,
        SECRET)))).isEqualTo(401);
  }

  @Test
  void anOversizedBodyIsRefusedWith413BeforeAnythingElse() {
    byte[] big = ("{\"x\":\"" + "y".repeat(FlowCallbackVerifier.MAX_BODY_BYTES) + "\"}").getBytes(UTF_8);

    assertThat(status(verifier.verify(PLAIN, big, Map.of()))).isEqualTo(413);
  }

  @Test
  void aGenuineCallbackWhoseBodyIsNotTheDocumentedObjectIsRefusedWith400() {
    for (String body : new String[] {"not json", "[1]", "{\"messageId\":\"m\"}", "{\"correlationKey\":\"k\"}",
        "{\"correlationKey\":\"k\",\"messageId\":\"m\",\"variables\":[1]}",
        "{\"correlationKey\":\"k\",\"messageId\":\"m\",\"varaibles\":{}}",
        "{\"correlationKey\":\"k\",\"messageId\":\"m\",\"messageId\":\"n\"}",
        "{\"correlationKey\":1.5,\"messageId\":\"m\"}", "{\"correlationKey\":\" \",\"messageId\":\"m\"}",
        "{\"correlationKey\":\"k\",\"messageId\":\"m\"} {}"}) {
      assertThat(status(verifier.verify(PLAIN, body.getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET, SECRET))))
          .as(body).isEqualTo(400);
    }
  }

  @Test
  void aCorrelationKeyAndMessageIdSentAsWholeNumbersAreTakenAsTheirDigits() {
    String body = "{\"messageName\":\"m\",\"correlationKey\":1785996265147777,\"messageId\":42}";

    assertThat(verifier.verify(PLAIN, body.getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET, SECRET)))
        .isEqualTo(new Accepted(new FlowCallback("m", "1785996265147777", "42", "{}", null), Optional.empty()));
  }

  @Test
  void aMemoryThatCannotAnswerLeavesASignedCallbackUndecided() {
    SeenEvents down = new SeenEvents() {
      @Override
      public CompletionStage<Boolean> firstTime(String id, Duration lifetime) {
        return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
      }

      @Override
      public CompletionStage<Boolean> seen(String id) {
        return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
      }

      @Override
      public CompletionStage<Void> forget(String id) {
        return CompletableFuture.failedFuture(new IllegalStateException("connection refused"));
      }
    };
    FlowCallbackVerifier withoutMemory = new FlowCallbackVerifier(clock, down, Duration.ofMinutes(5),
        Duration.ofSeconds(1));

    assertThat(withoutMemory.verify(PLAIN, BODY.getBytes(UTF_8), signed(BODY, NOW)))
        .isInstanceOf(CallbackVerdict.Unavailable.class);
  }

  @Test
  void noRefusalReasonContainsTheSecret() {
    for (CallbackVerdict verdict : new CallbackVerdict[] {
        verifier.verify(PLAIN, BODY.getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET, "wrong")),
        verifier.verify(SIGNED_ONLY, BODY.getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET, SECRET)),
        verifier.verify(PLAIN, "x".getBytes(UTF_8), Map.of(FlowCallbackVerifier.SECRET, SECRET))}) {
      assertThat(((Refused) verdict).reason()).doesNotContain(SECRET);
    }
    assertThat(PLAIN.toString()).doesNotContain(SECRET);
  }

  private static Map<String, String> signed(String body, Instant at) {
    String timestamp = Long.toString(at.getEpochSecond());
    return Map.of(FlowCallbackVerifier.TIMESTAMP, timestamp,
        FlowCallbackVerifier.SIGNATURE, FlowCallbackVerifier.signature(SECRET, timestamp, body.getBytes(UTF_8)));
  }

  private static int status(CallbackVerdict verdict) {
    return verdict instanceof Refused refused ? refused.status() : 0;
  }
}
