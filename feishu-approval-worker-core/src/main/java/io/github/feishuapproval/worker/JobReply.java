package io.github.feishuapproval.worker;

import java.util.Map;

/** The command for a job, the ids and log id its log lines carry, and the memory to drop once it is final. */
record JobReply(JobCommand command, Map<String, String> ids, String logId, JobIdentity remembered) {}
