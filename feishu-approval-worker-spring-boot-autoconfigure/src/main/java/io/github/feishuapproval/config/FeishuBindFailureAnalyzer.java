package io.github.feishuapproval.config;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.validation.FieldError;

/**
 * A {@code feishu.*} setting that cannot be bound, reported by its name and what it should be, never by its value:
 * Spring Boot's own report prints the value, and a secret put in the wrong place would be printed with it.
 */
public final class FeishuBindFailureAnalyzer extends AbstractFailureAnalyzer<BindException> implements Ordered {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, BindException cause) {
    String name = cause.getName() == null ? "" : cause.getName().toString();
    if (!name.equals("feishu") && !name.startsWith("feishu.")) return null;
    StringBuilder description = new StringBuilder("A Feishu setting could not be read: ");
    HiddenValueBinding.UnreadableSettingException unreadable =
        findCause(cause, HiddenValueBinding.UnreadableSettingException.class);
    BindValidationException invalid = findCause(cause, BindValidationException.class);
    if (unreadable != null) {
      description.append(unreadable.getMessage());
    } else if (invalid != null) {
      description.append(String.join("; ", invalid.getValidationErrors().getAllErrors().stream()
          .map(error -> (error instanceof FieldError field ? name + "." + field.getField() : name) + " "
              + error.getDefaultMessage()).toList()));
    } else {
      String type = cause.getTarget() == null ? "the expected type" : cause.getTarget().getType().toString();
      String property = cause.getProperty() == null ? name : cause.getProperty().getName().toString();
      description.append(property).append(" cannot be read as ").append(type).append(" (its value is not shown)");
    }
    return new FailureAnalysis(description.toString(),
        "Fix the setting named above (see docs/configuration.md) and start again.", null);
  }

  /** Before Spring Boot's own analyzers of binding failures, which print the value. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
