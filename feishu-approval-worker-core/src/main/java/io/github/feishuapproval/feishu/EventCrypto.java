package io.github.feishuapproval.feishu;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Feishu's event-push cryptography on the JDK's own primitives: the signature, the envelope, secret comparison. */
final class EventCrypto {

  private static final int BLOCK = 16;

  private EventCrypto() {}

  /** What Feishu puts in X-Lark-Signature: lower-case hex of SHA-256(timestamp + nonce + Encrypt Key + body). */
  static String signature(String timestamp, String nonce, String encryptKey, byte[] rawBody) {
    MessageDigest sha256 = sha256();
    sha256.update((timestamp + nonce + encryptKey).getBytes(UTF_8));
    sha256.update(rawBody);
    return HexFormat.of().formatHex(sha256.digest());
  }

  /** In constant time; both are 64 hex digits when genuine, so the early exit on length gives nothing away. */
  static boolean signatureMatches(String expected, String received) {
    return MessageDigest.isEqual(expected.getBytes(UTF_8), received.getBytes(UTF_8));
  }

  /** Digests first, so that isEqual compares equal lengths and not even a token's length shows in the time taken. */
  static boolean sameSecret(String expected, String received) {
    return MessageDigest.isEqual(sha256(expected.getBytes(UTF_8)), sha256(received.getBytes(UTF_8)));
  }

  /**
   * The plaintext of {@code base64(iv + AES-256-CBC(plaintext))} under the key SHA-256(Encrypt Key), or empty when it
   * is not base64, is shorter than an IV and a block, or does not decrypt (another key, a broken padding).
   */
  static Optional<byte[]> decrypt(String envelope, String encryptKey) {
    byte[] data;
    try {
      data = Base64.getDecoder().decode(envelope);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    if (data.length < 2 * BLOCK || data.length % BLOCK != 0) return Optional.empty();
    Cipher aes = aesCbc();
    try {
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(sha256(encryptKey.getBytes(UTF_8)), "AES"),
          new IvParameterSpec(data, 0, BLOCK));
      return Optional.of(aes.doFinal(data, BLOCK, data.length - BLOCK));
    } catch (GeneralSecurityException wrongKeyOrPadding) {
      return Optional.empty();
    }
  }

  private static byte[] sha256(byte[] bytes) {
    return sha256().digest(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK lacks SHA-256, which every Java platform must provide", e);
    }
  }

  /** The JDK's PKCS5Padding for AES is PKCS#7 on 16-byte blocks, Feishu's padding. A Cipher is not thread-safe. */
  private static Cipher aesCbc() {
    try {
      return Cipher.getInstance("AES/CBC/PKCS5Padding");
    } catch (NoSuchAlgorithmException | NoSuchPaddingException e) {
      throw new IllegalStateException("this JDK lacks AES/CBC/PKCS5Padding, which every Java platform must provide", e);
    }
  }
}
