package io.github.feishuapproval.config;

import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.validation.FieldError;

/**
 * Binding failures of {@code feishu.*} settings lose the value they could not bind before anything can print them:
 * Spring's conversion and validation messages quote the value, and Spring Boot logs the whole failure at DEBUG, so a
 * secret put under the wrong key would reach the log even when the startup report hides it.
 */
final class HiddenValueBinding implements ConfigurationPropertiesBindHandlerAdvisor {

  private static final ConfigurationPropertyName FEISHU = ConfigurationPropertyName.of("feishu");

  @Override
  public BindHandler apply(BindHandler bindHandler) {
    return new AbstractBindHandler(bindHandler) {
      @Override
      public Object onFailure(ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
          throws Exception {
        try {
          return super.onFailure(name, target, context, error);
        } catch (Exception failure) {
          if (!FEISHU.isAncestorOf(name) && !FEISHU.equals(name)) throw failure;
          throw new UnreadableSettingException(describe(name, target, failure));
        }
      }
    };
  }

  private static String describe(ConfigurationPropertyName name, Bindable<?> target, Exception failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnreadableSettingException unreadable) return unreadable.getMessage();
      if (cause instanceof BindValidationException invalid) {
        return String.join("; ", invalid.getValidationErrors().getAllErrors().stream()
            .map(error -> (error instanceof FieldError field ? name + "." + field.getField() : name.toString()) + " "
                + error.getDefaultMessage()).toList());
      }
    }
    return name + " cannot be read as " + target.getType() + " (its value is not shown)";
  }

  /** What went wrong with a setting, by its name and the type it should have, with no cause that holds its value. */
  static final class UnreadableSettingException extends IllegalArgumentException {
    UnreadableSettingException(String message) {
      super(message);
    }
  }
}
