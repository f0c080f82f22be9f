package io.github.feishuapproval.feishu;

import static io.github.feishuapproval.testsupport.FeishuEventPushes.appTicketEventV1;
import static io.github.feishuapproval.testsupport.FeishuEventPushes.encrypt;
import static io.github.feishuapproval.testsupport.FeishuEventPushes.eventV2;
import static io.github.feishuapproval.testsupport.FeishuEventPushes.push;
import static io.github.feishuapproval.testsupport.FeishuEventPushes.signedHeaders;
import static io.github.feishuapproval.testsupport.FeishuEventPushes.urlVerification;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.feishu.EventVerdict.AppTicket;
import io.github.feishuapproval.feishu.EventVerdict.Challenge;
import io.github.feishuapproval.feishu.EventVerdict.Duplicate;
import io.github.feishuapproval.feishu.EventVerdict.Ignored;
import io.github.feishuapproval.feishu.EventVerdict.Refused;
import io.github.feishuapproval.testsupport.FeishuEventPushes;
import io.github.feishuapproval.testsupport.FeishuEventPushes.Push;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.assertj.core.api.Condition;
import org.junit.jupiter.api.Test;

class EventVerifierTest {

  // distinctive, so that a leak into a reason or a toString cannot hide
  private static final String APP_ID = "cli_store0000000001";
  private static final String TOKEN = "vt-QUOKKA-7a1f0c5e9b";
  private static final String KEY = "ek-PANGOLIN-93c2d8e1";
  private static final String TICKET = "at-NARWHAL-55e0b4a6";
  private static final EventSubscription ENCRYPTED = new EventSubscription(APP_ID, TOKEN, Optional.of(KEY));
  private static final EventSubscription PLAIN = new EventSubscription(APP_ID, TOKEN, Optional.empty());

  private final FeishuClientTest.MutableClock clock = new FeishuClientTest.MutableClock();
  private final EventVerifier verifier = new EventVerifier(clock);

  @Test
  void anEncryptedSignedAppTicketPushYieldsTheTicket() {
    assertThat(verify(ENCRYPTED, ticketPush("ev-1"))).isEqualTo(new AppTicket(APP_ID, TICKET, "ev-1"));
  }

  @Test
  void theSamePushAgainIsRefusedAsAReplay() {
    Push push = ticketPush("ev-1");
    verify(ENCRYPTED, push);

    assertThat(verify(ENCRYPTED, push)).isInstanceOfSatisfying(Refused.class, refused -> {
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.reason()).contains("replay");
    });
  }

  @Test
  void feishusRetryOfTheSameEventWithAFreshNonceAndTimestampIsADuplicate() {
    verify(ENCRYPTED, ticketPush("ev-1"));
    clock.advance(Duration.ofSeconds(15));

    assertThat(verify(ENCRYPTED, ticketPush("ev-1"))).isEqualTo(new Duplicate("ev-1"));
  }

  @Test
  void feishusLastRetryAboutSevenHoursLaterIsStillADuplicateAndAnEventIsForgottenAfterEightHours() {
    verify(ENCRYPTED, ticketPush("ev-1"));
    for (Duration retry : List.of(Duration.ofSeconds(15), Duration.ofMinutes(5), Duration.ofHours(1),
        Duration.ofHours(6))) {
      clock.advance(retry);
      assertThat(verify(ENCRYPTED, ticketPush("ev-1"))).isEqualTo(new Duplicate("ev-1"));
    }
    clock.advance(EventVerifier.EVENT_MEMORY);

    assertThat(verify(ENCRYPTED, ticketPush("ev-1"))).isInstanceOf(AppTicket.class);
  }

  @Test
  void aTicketTheCallerCouldNotStoreIsLetThroughOnFeishusRetry() {
    AppTicket accepted = (AppTicket) verify(ENCRYPTED, ticketPush("ev-1"));
    verifier.forget(accepted);

    assertThat(verify(ENCRYPTED, ticketPush("ev-1"))).isEqualTo(accepted);
  }

  @Test
  void copiesOfOneEventRacingInFromManyThreadsYieldTheTicketExactlyOnce() throws Exception {
    List<Push> copies = new ArrayList<>();
    for (int i = 0; i < 64; i++) copies.add(ticketPush("ev-race"));
    List<EventVerdict> verdicts = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(16)) {
      List<Future<EventVerdict>> futures = new ArrayList<>();
      for (Push copy : copies) futures.add(threads.submit(() -> verify(ENCRYPTED, copy)));
      for (Future<EventVerdict> future : futures) verdicts.add(future.get());
    }

    assertThat(verdicts).filteredOn(AppTicket.class::isInstance).hasSize(1);
    assertThat(verdicts).filteredOn(Duplicate.class::isInstance).hasSize(63);
  }

  @Test
  void twoVerifiersSharingOneMemoryKnowEachOthersPushes() {
    SeenEvents shared = new LocalSeenEvents(clock, 100);
    EventVerifier one = new EventVerifier(clock, shared, Duration.ofSeconds(1));
    EventVerifier other = new EventVerifier(clock, shared, Duration.ofSeconds(1));
    Push push = ticketPush("ev-shared");

    assertThat(one.verify(ENCRYPTED, push.bytes(), push.headers()))
        .isInstanceOf(AppTicket.class);
    assertThat(other.verify(ENCRYPTED, push.bytes(), push.headers()))
        .is(refused(409));
    clock.advance(Duration.ofSeconds(15));
    Push retry = ticketPush("ev-shared");
    assertThat(other.verify(ENCRYPTED, retry.bytes(), retry.headers()))
        .isEqualTo(new Duplicate("ev-shared"));
  }

  @Test
  void aMemoryThatCannotAnswerLeavesThePushUndecidedForFeishuToPushAgain() {
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
    SeenEvents silent = new SeenEvents() {
      @Override
      public CompletionStage<Boolean> firstTime(String id, Duration lifetime) {
        return new CompletableFuture<>();
      }

      @Override
      public CompletionStage<Boolean> seen(String id) {
        return new CompletableFuture<>();
      }

      @Override
      public CompletionStage<Void> forget(String id) {
        return new CompletableFuture<>();
      }
    };
    Push push = ticketPush("ev-down");
    byte[] body = push.bytes();

    assertThat(new EventVerifier(clock, down, Duration.ofSeconds(1)).verify(ENCRYPTED, body, push.headers()))
        .isInstanceOf(EventVerdict.Unavailable.class);
    assertThat(new EventVerifier(clock, silent, Duration.ofMillis(50)).verify(ENCRYPTED, body, push.headers()))
        .isInstanceOf(EventVerdict.Unavailable.class);
    assertThat(new EventVerifier(clock, down, Duration.ofSeconds(1)).verify(PLAIN,
        ticketJson("ev-down").getBytes(UTF_8), Map.of()))
        .isInstanceOf(EventVerdict.Unavailable.class);
  }

  @Test
  void aPushWithoutAnEventIdIsAcceptedEachTimeAsItCannotBeDeduplicated() {
    String json = appTicketEventV1(APP_ID, TICKET, TOKEN, "ev-x").replace(",\"uuid\":\"ev-x\"", "");

    for (int push = 0; push < 2; push++) {
      assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant())))
          .isEqualTo(new AppTicket(APP_ID, TICKET, ""));
    }
  }

  @Test
  void aForgedSignatureIsRefused() {
    Push genuine = ticketPush("ev-1");
    Map<String, String> forged = new HashMap<>(genuine.headers());
    forged.put(FeishuEventPushes.SIGNATURE, EventCrypto.signature(forged.get(FeishuEventPushes.TIMESTAMP),
        forged.get(FeishuEventPushes.NONCE), "a-guessed-key", genuine.bytes()));

    assertThat(verify(ENCRYPTED, new Push(genuine.body(), forged))).is(refused(401));
  }

  @Test
  void aBodyChangedOnTheWayNoLongerMatchesItsSignature() {
    Push genuine = ticketPush("ev-1");
    Push other = ticketPush("ev-2");

    assertThat(verify(ENCRYPTED, new Push(other.body(), genuine.headers()))).is(refused(401));
  }

  @Test
  void anEncryptedEventWithoutSignatureHeadersIsRefused() {
    Push push = new Push(ticketPush("ev-1").body(), Map.of());

    assertThat(verify(ENCRYPTED, push)).is(refused(401));
  }

  @Test
  void aSignatureWithoutTimestampOrNonceIsRefused() {
    Map<String, String> headers = new HashMap<>(ticketPush("ev-1").headers());
    headers.remove(FeishuEventPushes.NONCE);

    assertThat(verify(ENCRYPTED, new Push(ticketPush("ev-1").body(), headers))).is(refused(401));
  }

  @Test
  void headerNamesAreMatchedWhateverTheirCase() {
    Push push = ticketPush("ev-1");
    Map<String, String> lowerCase = new HashMap<>();
    push.headers().forEach((name, value) -> lowerCase.put(name.toLowerCase(), value));

    assertThat(verify(ENCRYPTED, new Push(push.body(), lowerCase))).isInstanceOf(AppTicket.class);
  }

  @Test
  void aWrongVerificationTokenIsRefusedWithAndWithoutAnEncryptKey() {
    String json = appTicketEventV1(APP_ID, TICKET, "vt-someone-else", "ev-1");

    assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant()))).is(refused(401));
    assertThat(verify(PLAIN, push(json, Optional.empty(), clock.instant()))).is(refused(401));
  }

  @Test
  void aPushWithoutAVerificationTokenIsRefused() {
    String json = appTicketEventV1(APP_ID, TICKET, TOKEN, "ev-1").replace(",\"token\":\"" + TOKEN + "\"", "");

    assertThat(verify(PLAIN, push(json, Optional.empty(), clock.instant()))).is(refused(401));
  }

  @Test
  void aPushSixMinutesOldIsRefusedAsStale() {
    Push push = ticketPush("ev-1");
    clock.advance(Duration.ofMinutes(6));

    assertThat(verify(ENCRYPTED, push)).isInstanceOfSatisfying(Refused.class, refused -> {
      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.reason()).contains("stale").contains("360 s");
    });
  }

  @Test
  void aPushTimedSixMinutesAheadOfTheClockIsRefusedAsStaleAndFiveMinutesIsStillFresh() {
    Instant now = clock.instant();

    assertThat(verify(ENCRYPTED, push(ticketJson("ev-1"), Optional.of(KEY), now.plus(Duration.ofMinutes(6)))))
        .is(refused(401));
    assertThat(verify(ENCRYPTED, push(ticketJson("ev-1"), Optional.of(KEY), now.plus(EventVerifier.MAX_AGE))))
        .isInstanceOf(AppTicket.class);
  }

  @Test
  void aSignedRequestTimedAheadIsStillKnownAsAReplayUntilItsTimestampGoesStale() {
    Push ahead = push(ticketJson("ev-1"), Optional.of(KEY), clock.instant().plus(EventVerifier.MAX_AGE));
    verify(ENCRYPTED, ahead);
    clock.advance(Duration.ofMinutes(9));

    assertThat(verify(ENCRYPTED, ahead)).is(refused(409));
  }

  @Test
  void withoutAnEncryptKeyAStaleTimestampHeaderIsStillRefusedAndSignatureHeadersAreIgnored() {
    String json = ticketJson("ev-1");
    Map<String, String> stale = signedHeaders(json, "a key this worker does not know",
        clock.instant().minus(Duration.ofMinutes(6)), "n1");
    Map<String, String> fresh = signedHeaders(json, "a key this worker does not know", clock.instant(), "n2");

    assertThat(verify(PLAIN, new Push(json, stale))).is(refused(401));
    assertThat(verify(PLAIN, new Push(json, fresh))).isEqualTo(new AppTicket(APP_ID, TICKET, "ev-1"));
  }

  @Test
  void aTimestampThatIsNotANumberOfSecondsIsRefused() {
    assertThat(verify(PLAIN, new Push(ticketJson("ev-1"), Map.of(FeishuEventPushes.TIMESTAMP, "yesterday"))))
        .is(refused(401));
  }

  @Test
  void aPlainPushWithoutAnEncryptKeyYieldsTheTicket() {
    assertThat(verify(PLAIN, push(ticketJson("ev-1"), Optional.empty(), clock.instant())))
        .isEqualTo(new AppTicket(APP_ID, TICKET, "ev-1"));
  }

  @Test
  void anUnencryptedBodyIsRefusedWhenAnEncryptKeyIsSet() {
    assertThat(verify(ENCRYPTED, push(ticketJson("ev-1"), Optional.empty(), clock.instant())))
        .isInstanceOfSatisfying(Refused.class, refused -> {
          assertThat(refused.status()).isEqualTo(400);
          assertThat(refused.reason()).contains("unencrypted").contains("an Encrypt Key is set");
        });
  }

  @Test
  void anEncryptedBodyIsRefusedWhenNoEncryptKeyIsSet() {
    assertThat(verify(PLAIN, ticketPush("ev-1"))).isInstanceOfSatisfying(Refused.class, refused -> {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.reason()).contains("an Encrypt Key must be configured");
    });
  }

  @Test
  void garbageEmptyAndNonObjectBodiesAreRefused() {
    for (byte[] body : List.of(new byte[] {(byte) 0xff, 0x00, 0x13, 0x37}, new byte[0], "   ".getBytes(UTF_8),
        "[1,2]".getBytes(UTF_8), "\"a string\"".getBytes(UTF_8), "{\"a\":1} trailing".getBytes(UTF_8),
        "{\"token\":\"x\",\"token\":\"y\"}".getBytes(UTF_8))) {
      assertThat(verifier.verify(PLAIN, body, Map.of())).is(refused(400));
      assertThat(verifier.verify(ENCRYPTED, body, Map.of())).is(refused(400));
    }
    assertThat(verifier.verify(PLAIN, null, null)).is(refused(400));
  }

  @Test
  void aBodyOverSixtyFourKilobytesIsRefusedAsTooLarge() {
    byte[] body = ("{\"pad\":\"" + "x".repeat(EventVerifier.MAX_BODY_BYTES) + "\"}").getBytes(UTF_8);

    assertThat(verifier.verify(PLAIN, body, Map.of())).is(refused(413));
  }

  @Test
  void aSignedPushThatDoesNotDecryptWithTheKeyIsRefusedAsABadBody() {
    String body = encrypt(ticketJson("ev-1"), "another-key");
    Push signedWithOurs = new Push(body, signedHeaders(body, KEY, clock.instant(), "n1"));

    assertThat(verify(ENCRYPTED, signedWithOurs)).isInstanceOfSatisfying(Refused.class, refused -> {
      assertThat(refused.status()).isEqualTo(400);
      assertThat(refused.reason()).contains("did not decrypt");
    });
  }

  @Test
  void signedEnvelopesThatAreNotBase64OrTooShortAreRefusedAsBadBodies() {
    for (String envelope : List.of("not base64 at all!", "AAAAAAAAAAAAAAAAAAAAAA==", "")) {
      String body = "{\"encrypt\":\"" + envelope + "\"}";
      Push push = new Push(body, signedHeaders(body, KEY, clock.instant(), "n-" + envelope.length()));
      assertThat(verify(ENCRYPTED, push)).is(refused(400));
    }
  }

  @Test
  void anUnsignedPushAnswersTheSameStatusWhetherItsPaddingOrItsPlaintextIsWrong() {
    String wrongKey = encrypt(ticketJson("ev-1"), "another-key");
    String rightKeyButAnEvent = ticketPush("ev-1").body();
    String rightKeyButNotJson = encrypt("no json here", KEY);
    String rightKeyButABlankChallenge = encrypt(urlVerification(" ", TOKEN), KEY);

    for (String body : List.of(wrongKey, rightKeyButAnEvent, rightKeyButNotJson, rightKeyButABlankChallenge)) {
      assertThat(verify(ENCRYPTED, new Push(body, Map.of()))).is(refused(401));
    }
  }

  @Test
  void anAppTicketForAnotherAppIsRefusedNamingBothApps() {
    String json = appTicketEventV1("cli_someone_else01", TICKET, TOKEN, "ev-1");

    assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant())))
        .isInstanceOfSatisfying(Refused.class, refused -> {
          assertThat(refused.status()).isEqualTo(403);
          assertThat(refused.reason()).contains("event for another app").contains("cli_someone_else01")
              .contains(APP_ID);
        });
  }

  @Test
  void anAppTicketEventWithoutATicketIsRefused() {
    for (String ticket : List.of("", "  ")) {
      String json = appTicketEventV1(APP_ID, ticket, TOKEN, "ev-blank-" + ticket.length());
      assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant()))).is(refused(400));
    }
  }

  @Test
  void aV2EventOfAnotherTypeIsIgnored() {
    String json =
        eventV2("application.application.visibility.added_v6", APP_ID, TOKEN, "a069a9c7", Map.of("source", 1));

    assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant())))
        .isEqualTo(new Ignored("application.application.visibility.added_v6", "a069a9c7"));
  }

  @Test
  void aV2EventIsCheckedAgainstTheTokenInItsHeader() {
    String json = eventV2("im.message.receive_v1", APP_ID, "vt-someone-else", "e-1", Map.of());

    assertThat(verify(PLAIN, push(json, Optional.empty(), clock.instant()))).is(refused(401));
  }

  @Test
  void aSchema2AppTicketIsReadFromItsHeaderShouldFeishuEverSendThatShape() {
    String json = eventV2("app_ticket", APP_ID, TOKEN, "e-2", Map.of("app_ticket", TICKET));

    assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant())))
        .isEqualTo(new AppTicket(APP_ID, TICKET, "e-2"));
  }

  @Test
  void urlVerificationIsAnsweredEncryptedWithOrWithoutSignatureHeadersAndPlain() {
    String json = urlVerification("1b6aef1a-401f-406a-be41-f48911eabcef", TOKEN);
    Challenge challenge = new Challenge("1b6aef1a-401f-406a-be41-f48911eabcef");

    assertThat(verify(ENCRYPTED, push(json, Optional.of(KEY), clock.instant()))).isEqualTo(challenge);
    assertThat(verify(ENCRYPTED, new Push(encrypt(json, KEY), Map.of()))).isEqualTo(challenge);
    assertThat(verify(PLAIN, push(json, Optional.empty(), clock.instant()))).isEqualTo(challenge);
  }

  @Test
  void urlVerificationWithTheWrongTokenIsRefusedEvenUnsigned() {
    String json = urlVerification("c-1", "vt-someone-else");

    assertThat(verify(ENCRYPTED, new Push(encrypt(json, KEY), Map.of()))).is(refused(401));
    assertThat(verify(PLAIN, push(json, Optional.empty(), clock.instant()))).is(refused(401));
  }

  @Test
  void urlVerificationWithABlankOrOverlongChallengeIsRefused() {
    for (String challenge : List.of(" ", "c".repeat(257))) {
      assertThat(verify(PLAIN, push(urlVerification(challenge, TOKEN), Optional.empty(), clock.instant())))
          .is(refused(400));
    }
    assertThat(verify(PLAIN, push(urlVerification("c".repeat(256), TOKEN), Optional.empty(), clock.instant())))
        .isInstanceOf(Challenge.class);
  }

  @Test
  void noReasonOrToStringShowsTheTokenTheKeyTheTicketOrTheBody() {
    List<Push> encrypted = new ArrayList<>();
    Push replayed = ticketPush("ev-leak");
    encrypted.add(replayed);
    encrypted.add(replayed);
    encrypted.add(new Push(replayed.body(), Map.of()));
    encrypted.add(new Push(ticketPush("ev-2").body(), replayed.headers()));
    encrypted.add(encryptedPush(appTicketEventV1("cli_someone_else01", TICKET, TOKEN, "ev-3")));
    encrypted.add(encryptedPush(appTicketEventV1(APP_ID, TICKET, TOKEN.toUpperCase(), "ev-4")));
    String wrongKey = encrypt(ticketJson("ev-5"), KEY + "x");
    encrypted.add(new Push(wrongKey, signedHeaders(wrongKey, KEY, clock.instant(), "n5")));
    encrypted.add(new Push(ticketJson("ev-6"), Map.of()));
    List<EventVerdict> verdicts = new ArrayList<>();
    List<String> bodies = new ArrayList<>();
    for (Push push : encrypted) {
      verdicts.add(verify(ENCRYPTED, push));
      bodies.add(push.body());
    }
    Push truncated = new Push("{\"token\":\"" + TOKEN + "\",\"x\":\"" + TICKET, Map.of());
    for (Push push : List.of(ticketPush("ev-7"), truncated)) {
      verdicts.add(verify(PLAIN, push));
      bodies.add(push.body());
    }
    verdicts.add(verify(ENCRYPTED, ticketPush("ev-8")));

    assertThat(verdicts).filteredOn(Refused.class::isInstance).hasSizeGreaterThanOrEqualTo(9);
    List<String> printed = new ArrayList<>();
    for (EventVerdict verdict : verdicts) {
      printed.add(verdict.toString());
      if (verdict instanceof Refused refused) printed.add(refused.reason());
    }
    printed.add(ENCRYPTED.toString());
    printed.add(PLAIN.toString());
    for (String text : printed) {
      assertThat(text).doesNotContain(TOKEN).doesNotContain(KEY).doesNotContain(TICKET);
      for (String body : bodies) assertThat(text).doesNotContain(body);
    }
    assertThat(ENCRYPTED.toString()).contains(APP_ID).contains("<redacted>");
  }

  @Test
  void aBlankEncryptKeyFromConfigurationMeansNoKey() {
    assertThat(new EventSubscription(APP_ID, TOKEN, Optional.of("")).encryptKey()).isEmpty();
  }

  @Test
  void theMemoryOfIdsKeepsOnlyTheNewestWhenFullAndDropsTheExpired() {
    RecentIds ids = new RecentIds(Duration.ofMinutes(10), 3);
    Instant start = clock.instant();
    for (String id : List.of("a", "b", "c", "d")) assertThat(ids.add(id, start)).isTrue();

    assertThat(ids.size()).isEqualTo(3);
    assertThat(ids.add("a", start)).isTrue();
    assertThat(ids.add("d", start)).isFalse();
    assertThat(ids.add("e", start.plus(Duration.ofMinutes(10)))).isTrue();
    assertThat(ids.size()).isEqualTo(1);
  }

  private EventVerdict verify(EventSubscription subscription, Push push) {
    return verifier.verify(subscription, push.bytes(), push.headers());
  }

  private Push ticketPush(String eventId) {
    return encryptedPush(ticketJson(eventId));
  }

  /** The JSON encrypted and signed now, as Feishu pushes it when the Encrypt Key is set. */
  private Push encryptedPush(String json) {
    return push(json, Optional.of(KEY), clock.instant());
  }

  @Test
  void anApprovalInstanceEventYieldsItsFieldsAndIsNotRememberedSoThatFeishusRetryComesThroughAgain() {
    Map<String, Object> fields = Map.of("approval_code", "AC-1", "instance_code", "IC-1", "status", "APPROVED",
        "operate_time", "1716174311566", "instance_operate_time", "1716174311566", "uuid", "create-7");
    EventVerdict.ApprovalEvent expected = new EventVerdict.ApprovalEvent("ev-a", "approval_instance", APP_ID,
        "2ca1d211f64f6438", "AC-1", "IC-1", "APPROVED", "create-7", "1716174311566", "", "", "");

    assertThat(verify(ENCRYPTED, approvalPush("approval_instance", "ev-a", fields))).isEqualTo(expected);
    clock.advance(Duration.ofSeconds(15));
    assertThat(verify(ENCRYPTED, approvalPush("approval_instance", "ev-a", fields))).isEqualTo(expected);
  }

  @Test
  void anApprovalTaskEventYieldsTheTaskAndItsUserAndANumericOperateTimeAsText() {
    Map<String, Object> fields = Map.of("approval_code", "AC-1", "instance_code", "IC-1", "status", "REVERTED",
        "operate_time", 1716174311566L, "task_id", "7301", "user_id", "u1", "open_id", "ou_u1");

    assertThat(verify(PLAIN, new Push(approvalJson("approval_task", "ev-t", fields), Map.of()))).isEqualTo(
        new EventVerdict.ApprovalEvent("ev-t", "approval_task", APP_ID, "2ca1d211f64f6438", "AC-1", "IC-1",
            "REVERTED", "", "1716174311566", "7301", "u1", "ou_u1"));
  }

  @Test
  void anApprovalEventForAnotherAppWithoutAnEventIdOrWithoutAnInstanceIsRefused() {
    Map<String, Object> fields = Map.of("instance_code", "IC-1", "status", "APPROVED");
    String otherApp = FeishuEventPushes.approvalEventV1("approval_instance", "cli_other", TOKEN, "ev-o", fields,
        clock.instant());

    assertThat(verify(PLAIN, new Push(otherApp, Map.of()))).is(refused(403));
    assertThat(verify(PLAIN, new Push(approvalJson("approval_instance", "", fields), Map.of()))).is(refused(400));
    assertThat(verify(PLAIN, new Push(approvalJson("approval_instance", "ev-n", Map.of("status", "APPROVED")),
        Map.of()))).is(refused(400));
  }

  @Test
  void aReplayedOrForgedApprovalPushIsRefused() {
    Map<String, Object> fields = Map.of("instance_code", "IC-1", "status", "APPROVED");
    Push push = approvalPush("approval_instance", "ev-r", fields);
    verify(ENCRYPTED, push);

    assertThat(verify(ENCRYPTED, push)).is(refused(409));
    Push forged = push(approvalJson("approval_instance", "ev-f", fields), Optional.of("another-key"), clock.instant());
    assertThat(verify(ENCRYPTED, forged)).is(refused(401));
  }

  private Push approvalPush(String type, String eventId, Map<String, Object> fields) {
    return push(approvalJson(type, eventId, fields), Optional.of(KEY), clock.instant());
  }

  private String approvalJson(String type, String eventId, Map<String, Object> fields) {
    return FeishuEventPushes.approvalEventV1(type, APP_ID, TOKEN, eventId, fields, clock.instant());
  }

  private String ticketJson(String eventId) {
    return appTicketEventV1(APP_ID, TICKET, TOKEN, eventId, clock.instant());
  }

  /** Any refusal with this status, whatever its reason. */
  private static Condition<EventVerdict> refused(int status) {
    return new Condition<>(verdict -> verdict instanceof Refused refused && refused.status() == status,
        "refused with status %d", status);
  }
}
