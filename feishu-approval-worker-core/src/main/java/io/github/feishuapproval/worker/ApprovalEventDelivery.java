package io.github.feishuapproval.worker;

import io.github.feishuapproval.feishu.EventVerdict.ApprovalEvent;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to tell Feishu about one verified Approval event, however it came (pushed to the event endpoint, or sent over
 * the long connection): done once Camunda took its message or had it already, or when it can never be published
 * (no Camunda client, an app serving several Camunda tenants); otherwise not done, so that Feishu sends it again.
 * As Feishu holds an instance's later events while one is not done, their order is kept.
 */
public final class ApprovalEventDelivery {

  private static final Logger log = LoggerFactory.getLogger(ApprovalEventDelivery.class);

  private final ApprovalEventMessages messages;
  private final Map<String, List<String>> camundaTenants;

  /**
   * @param messages where Approval events go; null: they are not published
   * @param camundaTenants the Camunda tenants each app serves, by name; none: the client's default tenant
   */
  public ApprovalEventDelivery(ApprovalEventMessages messages, Map<String, List<String>> camundaTenants) {
    this.messages = messages;
    this.camundaTenants = Map.copyOf(camundaTenants);
  }

  /** @return true: Feishu may forget the event (answer 200); false: it is to send it again */
  public boolean deliver(String app, String appId, ApprovalEvent event) {
    List<String> tenants = camundaTenants.getOrDefault(app, List.of());
    if (messages == null || tenants.size() > 1) {
      log.warn("Approval event {} ({}) for app {} is not published: {}", printable(event.eventId()),
          event.eventType(), appId, messages == null ? "no Camunda client is configured"
              : "the app serves several Camunda tenants, and an event names none; use one app per tenant");
      return true;
    }
    String tenant = tenants.isEmpty() ? null : tenants.getFirst();
    return switch (messages.deliver(app, tenant, event)) {
      case CallbackDelivery.Published published -> {
        log.info("Published {} event {} (instance {}, status {}) for app {}", event.eventType(),
            printable(event.eventId()), printable(event.instanceCode()), printable(event.status()), app);
        yield true;
      }
      case CallbackDelivery.AlreadyPublished already -> {
        log.info("Event {} for app {} came again; already published", printable(event.eventId()), app);
        yield true;
      }
      case CallbackDelivery.InProgress inProgress -> false;
      case CallbackDelivery.NotDelivered notDelivered -> {
        log.warn("Could not publish {} event {} for app {}: {}; Feishu is to send it again", event.eventType(),
            printable(event.eventId()), app, notDelivered.reason());
        yield false;
      }
    };
  }

  static String printable(String name) {
    String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
    return cut.replaceAll("[^\\p{Alnum}_.-]", "?");
  }
}
