package io.github.feishuapproval.config;

/** A setting the worker cannot start with; the message is the one line an operator reads. */
public final class InvalidConfigurationException extends RuntimeException {
  public InvalidConfigurationException(String message) {
    super(message, null, false, false);
  }
}
