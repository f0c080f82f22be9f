package io.github.feishuapproval.worker;

/**
 * One process variable of an operation and where it goes in the Feishu request.
 *
 * @param variable the process variable the job reads
 * @param feishuName the path placeholder or body field it becomes
 */
public record InputField(String variable, String feishuName, Placement placement, FieldType type, boolean required) {

  public enum Placement { PATH, BODY }

  public static InputField pathId(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.PATH, new FieldType.PathId(), true);
  }

  public static InputField requiredId(String variable, String feishuName) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.BodyId(), true);
  }

  public static InputField optionalText(String variable, String feishuName, int maxLength) {
    return new InputField(variable, feishuName, Placement.BODY, new FieldType.Text(maxLength), false);
  }
}
