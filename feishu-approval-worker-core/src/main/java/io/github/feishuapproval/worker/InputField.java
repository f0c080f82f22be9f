package io.github.feishuapproval.worker;

/**
 * One process variable of an operation and where it goes in the Feishu request.
 *
 * @param variable the process variable the job reads
 * @param feishuName the path placeholder or body field it becomes
 */
public record InputField(String variable, String feishuName, Placement placement, FieldType type, boolean required) {

  /**
   * PATH, BODY and QUERY go into the request; TENANT names the customer tenant a store app acts for; ASSEMBLED is read
   * and checked here, then built into the body by the operation's {@link BodyAssembly} together with other values.
   */
  public enum Placement { PATH, BODY, QUERY, TENANT, ASSEMBLED }

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

  public static InputField requiredIdList(String variable, String feishuName, int maxSize) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.IdList(1, maxSize), true);
  }

  /** A list Feishu wants 1 to {@code maxSize} entries in when it is sent at all. */
  public static InputField optionalNonEmptyIdList(String variable, String feishuName, int maxSize) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.IdList(1, maxSize), false);
  }

  public static InputField optionalFlag(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.Flag(), false);
  }

  /** An object variable sent as a JSON string, as Feishu takes a flow's inputs. */
  public static InputField optionalJsonObject(String variable, String feishuName, int maxLength) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.JsonObjectText(maxLength), false);
  }

  /** An id sent in the body that must also be a plain token, such as a chat id ({@code oc_...}). */
  public static InputField optionalToken(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.PathId(), false);
  }

  /** An optional variable the operation's {@link BodyAssembly} combines with others into the body. */
  public static InputField assembled(String variable, FieldType type) {
    return new InputField(variable, variable, Placement.ASSEMBLED, type, false);
  }

  public static InputField optionalNumber(String variable, String feishuName, long min, long max) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.WholeNumber(min, max), false);
  }

  // Feishu Approval (审批 v4)

  /** Which kind of user id the request's user ids are: Feishu's {@code user_id_type} query parameter. */
  public static InputField userIdType() {
    return new InputField("userIdType", "user_id_type", Placement.QUERY,
        new FieldType.OneOf(java.util.List.of("open_id", "user_id", "union_id")), false);
  }

  public static InputField optionalId(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.BodyId(), false);
  }

  public static InputField form(String variable, String feishuName, boolean required) {
    return new InputField(variable, feishuName, Placement.BODY,
        new FieldType.FormWidgets(MAX_FORM_WIDGETS, MAX_FORM_CHARACTERS), required);
  }

  public static InputField nodeUsers(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.NodeUsers(MAX_NODES, MAX_NODE_USERS),
        false);
  }

  public static InputField numberChoice(String variable, String feishuName, boolean required, Integer... allowed) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.NumberChoice(java.util.List.of(allowed)),
        required);
  }

  /** The creation uuid: the variable when given, else one derived from the job (see {@link JobOperation#parse}). */
  public static InputField creationUuid() {
    return new InputField("uuid", "uuid", Placement.BODY, new FieldType.CreationUuid(), false);
  }

  /** Bounds of this worker (Feishu documents none): far above a real form, far below a runaway expression. */
  static final int MAX_FORM_WIDGETS = 500;
  static final int MAX_FORM_CHARACTERS = 200_000;
  static final int MAX_NODES = 50;
  static final int MAX_NODE_USERS = 100;
}
