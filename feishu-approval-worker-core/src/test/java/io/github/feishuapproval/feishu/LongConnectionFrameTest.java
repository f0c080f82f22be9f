package io.github.feishuapproval.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.feishuapproval.feishu.LongConnectionFrame.Header;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The long connection's frames, pbbp2.Frame, read and written by their proto field numbers. */
class LongConnectionFrameTest {

  @Test
  void aFrameReadsBackAsItWasWritten() {
    LongConnectionFrame frame = new LongConnectionFrame(Long.MAX_VALUE, 7, 33554678, LongConnectionFrame.DATA,
        List.of(new Header("type", "event"), new Header("message_id", "m-1"), new Header("sum", "2"),
            new Header("seq", "1")), "gzip", "json", "{\"uuid\":\"审批\"}".getBytes(StandardCharsets.UTF_8), "L-9");

    assertThat(LongConnectionFrame.decode(frame.encode())).contains(frame);
  }

  @Test
  void aPingFrameBuiltByHandFromTheProtoFieldNumbersIsReadAndWrittenByteForByte() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(new byte[] {0x08, 0x00}); // 1 SeqID = 0 (varint)
    bytes.writeBytes(new byte[] {0x10, 0x00}); // 2 LogID = 0
    bytes.writeBytes(new byte[] {0x18, 0x05}); // 3 service = 5
    bytes.writeBytes(new byte[] {0x20, 0x00}); // 4 method = 0, control
    bytes.writeBytes(new byte[] {0x2a, 0x0c, 0x0a, 0x04}); // 5 header of 12 bytes: 1 key of 4
    bytes.writeBytes("type".getBytes(StandardCharsets.US_ASCII));
    bytes.writeBytes(new byte[] {0x12, 0x04}); // 2 value of 4
    bytes.writeBytes("ping".getBytes(StandardCharsets.US_ASCII));
    byte[] handMade = bytes.toByteArray();

    LongConnectionFrame ping = LongConnectionFrame.of(5, LongConnectionFrame.CONTROL,
        List.of(new Header("type", "ping")), null);

    assertThat(ping.encode()).isEqualTo(handMade);
    assertThat(LongConnectionFrame.decode(handMade)).contains(ping);
  }

  @Test
  void anAcknowledgementEchoesTheFrameWithTheNewPayloadAndBizRt() {
    LongConnectionFrame event = new LongConnectionFrame(3, 4, 5, LongConnectionFrame.DATA,
        List.of(new Header("type", "event"), new Header("message_id", "m-2")), "", "", "{}".getBytes(), "");

    LongConnectionFrame ack = LongConnectionFrame.decode(event.answer("{\"code\":200}".getBytes(),
        new Header("biz_rt", "12")).encode()).orElseThrow();

    assertThat(ack.seqId()).isEqualTo(3);
    assertThat(ack.service()).isEqualTo(5);
    assertThat(ack.headers()).containsExactly(new Header("type", "event"), new Header("message_id", "m-2"),
        new Header("biz_rt", "12"));
    assertThat(new String(ack.payload(), StandardCharsets.UTF_8)).isEqualTo("{\"code\":200}");
  }

  @Test
  void fieldsThisClientDoesNotKnowAreSkippedAndGarbageIsNoFrame() {
    byte[] known = LongConnectionFrame.of(1, LongConnectionFrame.DATA, List.of(), "x".getBytes()).encode();
    ByteArrayOutputStream withUnknown = new ByteArrayOutputStream();
    withUnknown.writeBytes(known);
    withUnknown.writeBytes(new byte[] {(byte) 0x80, 0x01, 0x2a}); // field 16, varint 42

    assertThat(LongConnectionFrame.decode(withUnknown.toByteArray()).orElseThrow().payload()).isEqualTo(
        "x".getBytes());
    assertThat(LongConnectionFrame.decode(new byte[] {0x42, 0x10, 0x01})).isEmpty();
  }
}
