package io.github.feishuapproval.feishu;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keys seen lately: each is kept for a fixed time, and never more than a fixed number of them, the oldest go first. */
final class RecentIds {

  private final Duration keep;
  private final int capacity;
  private final LinkedHashMap<String, Instant> seen = new LinkedHashMap<>();

  RecentIds(Duration keep, int capacity) {
    if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
    this.keep = keep;
    this.capacity = capacity;
  }

  /** Remembers the key and says true, or says false when it was seen less than {@code keep} ago. */
  synchronized boolean add(String key, Instant now) {
    Instant cutoff = now.minus(keep);
    dropUpTo(cutoff);
    Instant before = seen.get(key);
    // checked, not assumed gone: a clock set back leaves older entries behind newer ones
    if (before != null && before.isAfter(cutoff)) return false;
    seen.remove(key);
    seen.put(key, now);
    if (seen.size() > capacity) seen.pollFirstEntry();
    return true;
  }

  /** Whether the key was seen less than {@code keep} ago, without remembering it. */
  synchronized boolean contains(String key, Instant now) {
    Instant before = seen.get(key);
    return before != null && before.isAfter(now.minus(keep));
  }

  synchronized void remove(String key) {
    seen.remove(key);
  }

  synchronized int size() {
    return seen.size();
  }

  private void dropUpTo(Instant cutoff) {
    Iterator<Map.Entry<String, Instant>> oldestFirst = seen.entrySet().iterator();
    while (oldestFirst.hasNext() && !oldestFirst.next().getValue().isAfter(cutoff)) oldestFirst.remove();
  }
}
