package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.QuotaStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import io.github.feishuapproval.worker.JobIdentity;

/**
 * Every key the worker writes, under one prefix and namespaced by the Feishu app id (never its secret), so that two
 * deployments can share a Redis.
 */
final class RedisKeys {

  private final String prefix;

  RedisKeys(String prefix) {
    this.prefix = prefix;
  }

  /**
   * The slots taken, the pause Feishu asked for, a counter that keeps slot names unique, the leases of the replicas
   * holding slots ahead, and the calls sent in the last window.
   */
  record Quota(String slots, String pause, String sequence, String leases, String sends) {}

  Quota quota(QuotaStore.QuotaKey key) {
    String tag = "{" + prefix + ":" + key.appId() + ":" + (key.tenantKey().isEmpty() ? "-" : key.tenantKey()) + ":"
        + key.api() + "}";
    String base = prefix + ":quota:" + tag;
    return new Quota(base + ":slots", base + ":pause", base + ":seq", base + ":leases", base + ":sends");
  }

  /** Set when a worker starts; a Redis without it restarted empty, and may have forgotten the last window's calls. */
  String marker() {
    return prefix + ":started";
  }

  /** Until when no quota may be used after such a restart. */
  String hold() {
    return prefix + ":hold-until";
  }

  String ticket(String appId) {
    return prefix + ":" + appId + ":app-ticket";
  }

  /** A push or event seen, by a digest of its id: ids carry line breaks and whatever Feishu's headers held. */
  String seenEvent(String id) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
      return prefix + ":event-seen:" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  String completion(JobIdentity job) {
    return job(job) + ":done";
  }

  String failures(JobIdentity job) {
    return job(job) + ":failures";
  }

  String claim(JobIdentity job) {
    return job(job) + ":claim";
  }

  /** A job by every key the engine gave it, so that two clusters whose job keys meet keep apart. */
  private String job(JobIdentity job) {
    return prefix + ":" + job.appId() + ":job:" + job.jobKey() + ":" + job.processInstanceKey() + ":"
        + job.elementInstanceKey();
  }
}
