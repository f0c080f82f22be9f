package io.github.feishuapproval.connector;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Feishu client for each app the tasks name, kept while it is in use so that its tenant token is fetched once, not
 * per job. Every app counts its calls in one quota store. A rotated secret gets a client of its own; the least recently
 * used client is closed when more apps than {@link #MOST_APPS} were named.
 */
final class ConnectorApps {

  static final int MOST_APPS = 32;

  private final ConnectorSettings settings;
  private final ObjectMapper json;
  private final Clock clock;
  private final QuotaStore quotas;
  private final TicketStore tickets;
  private final Map<String, FeishuApps> apps = new LinkedHashMap<>(16, 0.75f, true);

  ConnectorApps(ConnectorSettings settings, ObjectMapper json, Clock clock, QuotaStore quotas) {
    this.settings = settings;
    this.json = json;
    this.clock = clock;
    this.quotas = quotas;
    this.tickets = TicketStore.inProcess(clock);
  }

  /** The client of the self-built app {@code appId} with this secret. */
  synchronized FeishuClient clientFor(String appId, String appSecret) {
    // the secret enters the key only as a digest, so that no map of this class holds it in the clear
    String key = appId + "/" + digest(appSecret);
    FeishuApps app = apps.computeIfAbsent(key, ignored -> FeishuApps.of(
        Map.of(FeishuApps.DEFAULT, settings.app(appId, appSecret)), json, clock, FeishuEvents.NONE, quotas, tickets));
    if (apps.size() > MOST_APPS) {
      String eldest = apps.keySet().iterator().next();
      apps.remove(eldest).close();
    }
    return app.defaultApp();
  }

  private static String digest(String secret) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
