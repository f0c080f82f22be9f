package io.github.feishuapproval.feishu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Lua scripts of the shared quota, under {@code feishu-redis/} on the class path: the quota changes only inside
 * them, so that no two replicas can take the same slot.
 */
public enum QuotaScript {
  /** Takes the earliest free slot; answers a list. */
  RESERVE("quota-reserve.lua", "quota_reserve", true),
  /** Counts a slot's call as sent now, or says how long to wait; answers a list. */
  DEPART("quota-depart.lua", "quota_depart", true),
  /** Renews a replica's lease on its slots ahead; answers a number. */
  LEASE("quota-lease.lua", "quota_lease", false),
  /** Holds back every replica after Feishu's 429; answers a number. */
  PAUSE("quota-pause.lua", "quota_pause", false),
  /** Marks the Redis as used by the deployment, holding the quota if it restarted empty; answers a number. */
  START("quota-start.lua", "marker", false);

  private final String file;
  private final String operation;
  private final boolean answersList;
  private volatile String source;

  QuotaScript(String file, String operation, boolean answersList) {
    this.file = file;
    this.operation = operation;
    this.answersList = answersList;
  }

  /** Where the script is on the class path. */
  public String path() {
    return "feishu-redis/" + file;
  }

  /** The store operation the script's calls are counted under. */
  public String operation() {
    return operation;
  }

  /** Whether Redis answers the script with a list (else with an integer). */
  public boolean answersList() {
    return answersList;
  }

  /** The script's text. */
  public String source() {
    String text = source;
    if (text == null) {
      try (InputStream in = QuotaScript.class.getClassLoader().getResourceAsStream(path())) {
        if (in == null) throw new IllegalStateException(path() + " is missing from the class path");
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      source = text;
    }
    return text;
  }
}
