package io.github.feishuapproval.feishu;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The tickets of one worker process; a ticket pushed to another replica is not seen here. */
final class LocalTicketStore implements TicketStore {

  private final Map<String, StoredTicket> tickets = new ConcurrentHashMap<>();
  private final Clock clock;

  LocalTicketStore(Clock clock) {
    this.clock = clock;
  }

  @Override
  public CompletionStage<Void> put(String appId, StoredTicket ticket) {
    tickets.merge(appId, ticket, (old, pushed) -> pushed.receivedAt().isBefore(old.receivedAt()) ? old : pushed);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Optional<StoredTicket>> latest(String appId) {
    return CompletableFuture.completedFuture(Optional.ofNullable(tickets.get(appId))
        .filter(t -> clock.instant().isBefore(t.receivedAt().plus(VALID_FOR))));
  }

  @Override
  public CompletionStage<Void> drop(String appId, String ticket) {
    tickets.computeIfPresent(appId, (id, stored) -> stored.value().equals(ticket) ? null : stored);
    return CompletableFuture.completedFuture(null);
  }
}
