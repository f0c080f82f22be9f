package io.github.feishuapproval.config;

import java.util.Map;
import java.util.function.Predicate;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** What decides whether the workers start in an application, read from its properties. */
final class FeishuConditions {

  private FeishuConditions() {}

  /**
   * An app is configured ({@code feishu.app-id}), or the application asked to fail at startup without one
   * ({@code feishu.fail-fast=true}, as the standalone worker does). Otherwise the workers stay off.
   */
  static final class AppConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean appId = binder.bind("feishu.app-id", String.class).map(id -> !id.isBlank()).orElse(false);
      if (appId) return ConditionOutcome.match("feishu.app-id is set");
      if (binder.bind("feishu.fail-fast", Boolean.class).orElse(false)) {
        return ConditionOutcome.match("feishu.fail-fast is set: a missing feishu.app-id stops the start");
      }
      return ConditionOutcome.noMatch("no Feishu app configured (feishu.app-id): the Feishu job workers stay off");
    }
  }

  /** The default app or a named one is a store app, whose tickets arrive by event push. */
  static final class StoreAppConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean store = anyApp(binder, "feishu.app-type", "type", StoreAppConfigured::isStore);
      return store ? ConditionOutcome.match("a store app is configured")
          : ConditionOutcome.noMatch("no store app is configured: no event endpoint");
    }

    private static boolean isStore(String type) {
      return type.trim().equalsIgnoreCase("store");
    }
  }

  /**
   * A store app is configured, or an app has a Verification Token: Feishu pushes its events (app_tickets, Approval
   * events) to the event endpoint.
   */
  static final class EventsConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      if (new StoreAppConfigured().getMatchOutcome(context, metadata).isMatch()) {
        return ConditionOutcome.match("a store app is configured");
      }
      Binder binder = Binder.get(context.getEnvironment());
      boolean token = anyApp(binder, "feishu.verification-token", "verification-token", FeishuConditions::hasText);
      return token ? ConditionOutcome.match("an app has a Verification Token")
          : ConditionOutcome.noMatch("no store app and no Verification Token: no event endpoint");
    }
  }

  /** The default app or a named one has its events delivered over the long connection. */
  static final class LongConnectionConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean any = anyApp(binder, "feishu.events-delivery", "events-delivery",
          LongConnectionConfigured::isLongConnection);
      return any ? ConditionOutcome.match("an app's events come over the long connection")
          : ConditionOutcome.noMatch("no app's events come over the long connection");
    }

    private static boolean isLongConnection(String delivery) {
      return delivery.replaceAll("[^A-Za-z0-9]", "").equalsIgnoreCase("longconnection");
    }
  }

  /** The default app or a named one has a callback secret, so that aPaaS flows can call back for it. */
  static final class CallbackSecretConfigured extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      Binder binder = Binder.get(context.getEnvironment());
      boolean secret = anyApp(binder, "feishu.callback-secret", "callback-secret", FeishuConditions::hasText);
      return secret ? ConditionOutcome.match("an app has a callback secret")
          : ConditionOutcome.noMatch("no app has a callback secret: no flow callback endpoint");
    }

  }

  /**
   * Whether the default app's {@code defaultKey}, or the {@code feishu.apps.<name>.<appKey>} of a named app, holds a
   * value {@code accepted} takes.
   */
  private static boolean anyApp(Binder binder, String defaultKey, String appKey, Predicate<String> accepted) {
    return binder.bind(defaultKey, String.class).map(accepted::test).orElse(false)
        || binder.bind("feishu.apps", Bindable.mapOf(String.class, Object.class)).orElse(Map.of()).keySet().stream()
            .anyMatch(name -> binder.bind("feishu.apps." + name + "." + appKey, String.class).map(accepted::test)
                .orElse(false));
  }

  private static boolean hasText(String value) {
    return !value.isBlank();
  }
}
