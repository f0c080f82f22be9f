package io.github.feishuapproval.worker;

import java.util.List;
import java.util.Map;

/** What an operation's request needs beyond its fields' own values: values built from several fields or from the job. */
public interface BodyAssembly {

  /** Nothing beyond the fields. */
  BodyAssembly NONE = (assembled, body, job, problems) -> { };

  /**
   * Adds to {@code body}, or to {@code problems} what is wrong (naming the variables, never echoing their values).
   *
   * @param assembled the values of the operation's {@link InputField.Placement#ASSEMBLED} fields that were given, by
   *     their variable
   */
  void assemble(Map<String, Object> assembled, Map<String, Object> body, JobKeys job, List<String> problems);
}
