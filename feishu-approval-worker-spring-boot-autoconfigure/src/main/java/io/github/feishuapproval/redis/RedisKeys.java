package io.github.feishuapproval.redis;

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

  /** The start of every key; the quota's keys ({@code SharedQuotaStore}) are laid out under it in the core. */
  String prefix() {
    return prefix;
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
