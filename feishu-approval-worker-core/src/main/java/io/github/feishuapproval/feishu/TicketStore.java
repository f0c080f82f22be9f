package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Where a store app's {@code app_ticket} is kept once Feishu pushed it: in this process, or in the shared store, so
 * that a ticket pushed to one replica serves all. A store that cannot be reached fails the stage.
 */
public interface TicketStore {

  /** The tickets of this process alone; a ticket pushed to another replica is not seen here. */
  static TicketStore inProcess(java.time.Clock clock) {
    return new LocalTicketStore(clock);
  }

  /** A ticket, valid 3 hours from when Feishu pushed it. Never printed. */
  record StoredTicket(String value, Instant receivedAt) {
    @Override
    public String toString() {
      return "StoredTicket[<redacted>, receivedAt=" + receivedAt + "]";
    }
  }

  /** How long Feishu says a ticket stays valid. */
  Duration VALID_FOR = Duration.ofHours(3);

  CompletionStage<Void> put(String appId, StoredTicket ticket);

  /** The newest ticket Feishu pushed for the app, while it is valid. */
  CompletionStage<Optional<StoredTicket>> latest(String appId);

  /** Feishu refused {@code ticket}: forget it, unless a newer one replaced it meanwhile. */
  CompletionStage<Void> drop(String appId, String ticket);
}
