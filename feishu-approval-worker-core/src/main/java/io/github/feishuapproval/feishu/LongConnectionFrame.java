package io.github.feishuapproval.feishu;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One frame of Feishu's long connection, its protobuf message {@code pbbp2.Frame} (proto2): 1 SeqID uint64, 2 LogID
 * uint64, 3 service int32, 4 method int32 ({@link #CONTROL} or {@link #DATA}), 5 repeated Header {1 key, 2 value},
 * 6 payload_encoding, 7 payload_type, 8 payload bytes, 9 LogIDNew. Fields 1 to 4 are required and always written;
 * the optional strings are written only when not empty. Unknown fields are skipped.
 */
public record LongConnectionFrame(long seqId, long logId, int service, int method, List<Header> headers,
    String payloadEncoding, String payloadType, byte[] payload, String logIdNew) {

  public static final int CONTROL = 0;
  public static final int DATA = 1;

  public record Header(String key, String value) {
    public Header {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  public LongConnectionFrame {
    headers = List.copyOf(headers);
    payloadEncoding = Objects.requireNonNullElse(payloadEncoding, "");
    payloadType = Objects.requireNonNullElse(payloadType, "");
    payload = payload == null ? new byte[0] : payload.clone();
    logIdNew = Objects.requireNonNullElse(logIdNew, "");
  }

  /** A control or data frame with these headers and payload, the other fields left at zero or empty. */
  public static LongConnectionFrame of(int service, int method, List<Header> headers, byte[] payload) {
    return new LongConnectionFrame(0, 0, service, method, headers, "", "", payload, "");
  }

  /** The first header of this name. */
  public Optional<String> header(String key) {
    return headers.stream().filter(h -> h.key().equals(key)).map(Header::value).findFirst();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** This frame with another payload and one more header: how an event is acknowledged. */
  public LongConnectionFrame answer(byte[] newPayload, Header extra) {
    List<Header> more = new ArrayList<>(headers);
    more.add(extra);
    return new LongConnectionFrame(seqId, logId, service, method, more, payloadEncoding, payloadType, newPayload,
        logIdNew);
  }

  public byte[] encode() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + payload.length);
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeUInt64(1, seqId);
      out.writeUInt64(2, logId);
      out.writeInt32(3, service);
      out.writeInt32(4, method);
      for (Header header : headers) {
        out.writeTag(5, WireFormat.WIRETYPE_LENGTH_DELIMITED);
        out.writeUInt32NoTag(CodedOutputStream.computeStringSize(1, header.key())
            + CodedOutputStream.computeStringSize(2, header.value()));
        out.writeString(1, header.key());
        out.writeString(2, header.value());
      }
      if (!payloadEncoding.isEmpty()) out.writeString(6, payloadEncoding);
      if (!payloadType.isEmpty()) out.writeString(7, payloadType);
      if (payload.length > 0) out.writeByteArray(8, payload);
      if (!logIdNew.isEmpty()) out.writeString(9, logIdNew);
      out.flush();
    } catch (IOException inMemory) {
      throw new IllegalStateException("writing to memory failed", inMemory);
    }
    return bytes.toByteArray();
  }

  /** The frame these bytes hold; empty when they are not a {@code pbbp2.Frame}. */
  public static Optional<LongConnectionFrame> decode(byte[] bytes) {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    long seqId = 0;
    long logId = 0;
    int service = 0;
    int method = 0;
    List<Header> headers = new ArrayList<>();
    String encoding = "";
    String type = "";
    byte[] payload = new byte[0];
    String logIdNew = "";
    try {
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        switch (tag) {
          case 8 -> seqId = in.readUInt64();
          case 16 -> logId = in.readUInt64();
          case 24 -> service = in.readInt32();
          case 32 -> method = in.readInt32();
          case 42 -> headers.add(header(in.readByteArray()));
          case 50 -> encoding = in.readString();
          case 58 -> type = in.readString();
          case 66 -> payload = in.readByteArray();
          case 74 -> logIdNew = in.readString();
          default -> {
            if (!in.skipField(tag)) return Optional.empty();
          }
        }
      }
    } catch (IOException | IllegalArgumentException notAFrame) {
      return Optional.empty();
    }
    return Optional.of(new LongConnectionFrame(seqId, logId, service, method, headers, encoding, type, payload,
        logIdNew));
  }

  private static Header header(byte[] bytes) throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    String key = "";
    String value = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      switch (tag) {
        case 10 -> key = in.readString();
        case 18 -> value = in.readString();
        default -> {
          if (!in.skipField(tag)) throw new IOException("a header ended early");
        }
      }
    }
    return new Header(key, value);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof LongConnectionFrame f && seqId == f.seqId && logId == f.logId && service == f.service
        && method == f.method && headers.equals(f.headers) && payloadEncoding.equals(f.payloadEncoding)
        && payloadType.equals(f.payloadType) && java.util.Arrays.equals(payload, f.payload)
        && logIdNew.equals(f.logIdNew);
  }

  @Override
  public int hashCode() {
    return Objects.hash(seqId, logId, service, method, headers, java.util.Arrays.hashCode(payload));
  }

  /** Never the payload: it is an event's body. */
  @Override
  public String toString() {
    return "LongConnectionFrame[seqId=" + seqId + ", logId=" + logId + ", service=" + service + ", method=" + method
        + ", headers=" + headers + ", payload=" + payload.length + " bytes]";
  }
}
