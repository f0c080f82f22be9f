package io.github.feishuapproval.worker;

import io.camunda.client.api.response.ActivatedJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts the job's identity into the logging context for the lines logged inside {@link #run}, on whatever thread the
 * job's work happens to be: the job key, process instance, element, the ids the call is about and Feishu's log id.
 */
final class JobLogContext {

  private JobLogContext() {}

  static void run(ActivatedJob job, Map<String, String> ids, String feishuLogId, Runnable logging) {
    List<MDC.MDCCloseable> entries = new ArrayList<>();
    entries.add(MDC.putCloseable("jobKey", Long.toString(job.getKey())));
    entries.add(MDC.putCloseable("jobType", job.getType()));
    entries.add(MDC.putCloseable("processInstanceKey", Long.toString(job.getProcessInstanceKey())));
    entries.add(MDC.putCloseable("elementId", job.getElementId()));
    ids.forEach((name, value) -> entries.add(MDC.putCloseable(name, value)));
    if (feishuLogId != null && !feishuLogId.isEmpty()) entries.add(MDC.putCloseable("feishuLogId", feishuLogId));
    try {
      logging.run();
    } finally {
      entries.forEach(MDC.MDCCloseable::close);
    }
  }
}
