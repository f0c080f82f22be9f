package io.github.feishuapproval.feishu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON the worker reads and writes with: Feishu ids are long integers and must keep every digit. */
public final class ExactJson {

  private ExactJson() {}

  /** A mapper that reads every number exactly (BigInteger, BigDecimal), never as a double. */
  public static ObjectMapper newMapper() {
    return new ObjectMapper()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);
  }
}
