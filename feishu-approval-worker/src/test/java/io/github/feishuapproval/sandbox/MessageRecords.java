package io.github.feishuapproval.sandbox;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.filters.RecordStream;
import io.camunda.zeebe.protocol.record.Record;
import io.camunda.zeebe.protocol.record.RecordType;
import io.camunda.zeebe.protocol.record.intent.MessageIntent;
import io.camunda.zeebe.protocol.record.value.MessageRecordValue;
import java.util.ArrayList;
import java.util.List;

/** What the engine recorded about published messages: every publish command it received, taken or not. */
public final class MessageRecords {

  private MessageRecords() {}

  /** The publish commands for this message id, each one a publish that reached the engine, in order. */
  public static List<MessageRecordValue> publishCommands(ZeebeTestEngine engine, String messageId) {
    List<MessageRecordValue> found = new ArrayList<>();
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        found.clear();
        for (Record<MessageRecordValue> record : RecordStream.of(engine.getRecordStreamSource()).messageRecords()) {
          if (record.getRecordType() == RecordType.COMMAND && record.getIntent() == MessageIntent.PUBLISH
              && messageId.equals(record.getValue().getMessageId())) {
            found.add(record.getValue());
          }
        }
        return List.copyOf(found);
      } catch (RuntimeException halfWritten) {
        // the embedded engine's log, read while it appends, can fail a read; the next one sees the record whole
      }
    }
    throw new IllegalStateException("the engine's records could not be read");
  }
}
