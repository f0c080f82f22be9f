package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.EventVerdict;
import io.github.feishuapproval.feishu.EventVerifier;
import io.github.feishuapproval.feishu.LongConnection;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One app's events as they come over its long connection, each answered with the code its acknowledgement carries:
 * 200 once an Approval event is published (or was before, or never can be) and for events nothing is done with; 500
 * for what could not be published or checked now, and for what is refused, so that Feishu sends it again, as it pushes
 * again a webhook push answered non-200.
 */
public final class LongConnectionEvents implements LongConnection.EventHandler {

  public static final int DONE = 200;
  public static final int SEND_AGAIN = 500;
  private static final Logger log = LoggerFactory.getLogger(LongConnectionEvents.class);

  private final String app;
  private final String appId;
  private final Optional<String> verificationToken;
  private final EventVerifier verifier;
  private final ApprovalEventDelivery delivery;

  /**
   * @param app the app's name in the configuration
   * @param verificationToken the app's Verification Token, when one is set: an event that carries a token must carry
   *     this one
   */
  public LongConnectionEvents(String app, String appId, Optional<String> verificationToken, EventVerifier verifier,
      ApprovalEventDelivery delivery) {
    this.app = Objects.requireNonNull(app, "app");
    this.appId = Objects.requireNonNull(appId, "appId");
    this.verificationToken = Objects.requireNonNull(verificationToken, "verificationToken");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
  }

  @Override
  public int handle(byte[] eventJson) {
    return switch (verifier.verifyTrusted(appId, verificationToken, eventJson)) {
      case EventVerdict.ApprovalEvent event -> delivery.deliver(app, appId, event) ? DONE : SEND_AGAIN;
      case EventVerdict.Duplicate duplicate -> DONE;
      case EventVerdict.Ignored ignored -> {
        log.debug("Event {} of type {} for app {} is not one this worker handles", ignored.eventId(),
            ApprovalEventDelivery.printable(ignored.eventType()), appId);
        yield DONE;
      }
      case EventVerdict.AppTicket ticket -> DONE;
      case EventVerdict.Challenge challenge -> DONE;
      case EventVerdict.Refused refused -> {
        log.warn("Refused an event on the long connection of app {} ({}): {}", app, appId, refused.reason());
        yield SEND_AGAIN;
      }
      case EventVerdict.Unavailable unavailable -> {
        log.warn("Could not check an event on the long connection of app {}: {}; Feishu is to send it again", app,
            unavailable.reason());
        yield SEND_AGAIN;
      }
    };
  }
}
