package io.github.feishuapproval.worker;

/**
 * One process variable of an operation and where it goes in the Feishu request.
 *
 * @param variable the process variable the job reads
 * @param feishuName the path placeholder or body field it becomes
 */
public record InputField(String variable, String feishuName, Placement placement, FieldType type, boolean required) {

  /** PATH and BODY go into the request; TENANT names the customer tenant a store app acts for. */
  public enum Placement { PATH, BODY, TENANT }

  /** The variable every operation reads to learn which customer tenant a store app acts for. */
  public static final String TENANT_KEY = "tenantKey";

  /** The customer tenant's {@code tenant_key}: required for store apps, refused for self-built ones. */
  public static InputField tenantKey() {
    return new InputField(TENANT_KEY, "tenant_key", Placement.TENANT, new FieldType.PathId(), false);
  }

  public static InputField pathId(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.PATH, new FieldType.PathId(), true);
  }

  public static InputField requiredId(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.BodyId(), true);
  }

  public static InputField optionalText(String variable, String feishuName, int maxLength) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.Text(maxLength), false);
  }

  public static InputField requiredText(String variable, String feishuName, int maxLength) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.Text(maxLength), true);
  }

  public static InputField optionalIdList(String variable, String feishuName, int maxSize) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.IdList(maxSize), false);
  }

  public static InputField optionalOneOf(String variable, String feishuName, String... allowed) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.OneOf(java.util.List.of(allowed)), false);
  }

  public static InputField optionalNumber(String variable, String feishuName, long min, long max) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.WholeNumber(min, max), false);
  }
}
