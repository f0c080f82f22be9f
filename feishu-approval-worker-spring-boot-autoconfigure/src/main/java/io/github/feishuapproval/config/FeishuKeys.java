package io.github.feishuapproval.config;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;

/**
 * Which {@code feishu.*} keys are ours. The application may have Feishu settings of its own under {@code feishu.*},
 * so a key beside ours is left to it; a key inside one of our groups that none of ours matches is a typo, and stops
 * the start naming the key, never its value.
 */
final class FeishuKeys {

  private static final Logger log = LoggerFactory.getLogger(FeishuKeys.class);
  private static final ConfigurationPropertyName FEISHU = ConfigurationPropertyName.of("feishu");
  private static final Set<String> TOP = names(FeishuProperties.class);
  private static final Set<String> APP = names(FeishuProperties.App.class);
  private static final Map<String, Set<String>> GROUPS = Map.of(
      "http", names(FeishuProperties.Http.class),
      "worker", names(FeishuProperties.Worker.class),
      "ratelimit", names(FeishuProperties.RateLimit.class),
      "store", names(FeishuProperties.Store.class),
      "callbacks", names(FeishuProperties.Callbacks.class));
  private static final Set<String> LISTS = Set.of("camundatenants");

  private FeishuKeys() {}

  static void check(Environment environment) {
    Set<String> typos = new TreeSet<>();
    Set<String> others = new TreeSet<>();
    for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
      if (!(source instanceof IterableConfigurationPropertySource keys)) continue;
      keys.filter(FEISHU::isAncestorOf).forEach(name -> {
        if (!TOP.contains(element(name, 1))) others.add(name.toString());
        else if (!known(name)) typos.add(name.toString());
      });
    }
    if (!others.isEmpty()) {
      log.info("{} {} not a setting of the Feishu job workers; left to the application", others,
          others.size() == 1 ? "is" : "are");
    }
    if (!typos.isEmpty()) {
      throw new InvalidConfigurationException(String.join(", ", typos) + (typos.size() == 1 ? " is" : " are")
          + " not a setting of the Feishu job workers: check the spelling against docs/configuration.md");
    }
  }

  private static boolean known(ConfigurationPropertyName name) {
    String top = element(name, 1);
    int depth = name.getNumberOfElements();
    if (GROUPS.containsKey(top)) return depth == 3 && GROUPS.get(top).contains(element(name, 2));
    if (top.equals("apps")) {
      return depth >= 4 && APP.contains(element(name, 3)) && fits(name, 3);
    }
    return fits(name, 1);
  }

  /** The key ends at element {@code last}, or, for a list, one index after it. */
  private static boolean fits(ConfigurationPropertyName name, int last) {
    int depth = name.getNumberOfElements();
    if (depth == last + 1) return true;
    return depth == last + 2 && LISTS.contains(element(name, last)) && name.isNumericIndex(last + 1);
  }

  private static String element(ConfigurationPropertyName name, int index) {
    return index < name.getNumberOfElements() ? name.getElement(index, Form.UNIFORM) : "";
  }

  private static Set<String> names(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)
        .map(component -> component.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
  }
}
