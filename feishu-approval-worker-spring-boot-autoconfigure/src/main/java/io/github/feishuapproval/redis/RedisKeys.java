package io.github.feishuapproval.redis;

import io.github.feishuapproval.feishu.QuotaStore;

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

  String completion(String appId, long jobKey) {
    return prefix + ":" + appId + ":job:" + jobKey + ":done";
  }

  String failures(String appId, long jobKey) {
    return prefix + ":" + appId + ":job:" + jobKey + ":failures";
  }
}
