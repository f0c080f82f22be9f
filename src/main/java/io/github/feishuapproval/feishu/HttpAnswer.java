package io.github.feishuapproval.feishu;

import java.util.Optional;

/** The parts of an HTTP answer that decide an outcome. */
record HttpAnswer(int status, String body, String logId, Optional<Long> rateLimitResetSeconds) {}
