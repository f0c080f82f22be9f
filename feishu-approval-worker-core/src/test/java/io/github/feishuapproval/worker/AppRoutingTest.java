package io.github.feishuapproval.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.feishuapproval.feishu.FeishuApps;
import io.github.feishuapproval.feishu.FeishuClient;
import io.github.feishuapproval.feishu.FeishuEvents;
import io.github.feishuapproval.feishu.QuotaStore;
import io.github.feishuapproval.feishu.TicketStore;
import io.github.feishuapproval.feishu.FeishuSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which app a job acts as, and that a task of one Camunda tenant cannot act as another tenant's app. */
class AppRoutingTest {

  private final FeishuApps apps = apps("default", "hr", "finance", "marketing");
  // hr-cn may use hr; acme the default app; shared both hr and finance; nobody lists the marketing app
  private final Map<String, List<String>> listed = Map.of("hr-cn", List.of("hr"), "acme", List.of("default"),
      "shared", List.of("hr", "finance"));
  private final List<String> problems = new ArrayList<>();

  @AfterEach
  void closeApps() {
    apps.close();
  }

  @Test
  void withoutTheHeaderAJobActsAsTheAppListingItsTenantElseTheDefaultApp() {
    AppRouting routing = new AppRouting(apps, listed, false);

    assertThat(name(routing.appFor(Optional.empty(), "hr-cn", problems))).isEqualTo("hr");
    assertThat(name(routing.appFor(Optional.empty(), "acme", problems))).isEqualTo("default");
    assertThat(name(routing.appFor(Optional.empty(), "globex", problems))).isEqualTo("default");
    assertThat(problems).isEmpty();
  }

  @Test
  void theHeaderPicksAnyAppTheTenantMayUse() {
    AppRouting routing = new AppRouting(apps, listed, true);

    assertThat(name(routing.appFor(Optional.of("finance"), "shared", problems))).isEqualTo("finance");
    assertThat(name(routing.appFor(Optional.of("hr"), "shared", problems))).isEqualTo("hr");
    assertThat(name(routing.appFor(Optional.of("hr"), "hr-cn", problems))).isEqualTo("hr");
    assertThat(problems).isEmpty();
  }

  @Test
  void theHeaderCannotNameAnotherTenantsAppEvenWhenUnmappedTenantsAreRefused() {
    AppRouting routing = new AppRouting(apps, listed, true);

    assertThat(routing.appFor(Optional.of("hr"), "acme", problems)).isNull();
    assertThat(routing.appFor(Optional.of("finance"), "hr-cn", problems)).isNull();
    assertThat(routing.appFor(Optional.of("hr"), "globex", problems)).isNull();
    assertThat(problems).hasSize(3);
    assertThat(problems.getFirst()).contains("feishuApp names the app 'hr', which the Camunda tenant 'acme' may not use");
  }

  @Test
  void theDefaultAppServesOnlyTheTenantsItListsOrThoseNoAppListsWhenTheyAreNotRefused() {
    assertThat(name(new AppRouting(apps, listed, false).appFor(Optional.of("default"), "globex", problems)))
        .isEqualTo("default");
    assertThat(new AppRouting(apps, listed, false).appFor(Optional.of("default"), "hr-cn", problems)).isNull();
    assertThat(new AppRouting(apps, listed, true).appFor(Optional.of("default"), "globex", problems)).isNull();
    assertThat(name(new AppRouting(apps, listed, true).appFor(Optional.of("default"), "acme", problems)))
        .isEqualTo("default");
    assertThat(problems).hasSize(2);
  }

  @Test
  void anUnknownAndAForbiddenAppAreRefusedAlikeNamingOnlyTheTenantsOwnApps() {
    AppRouting routing = new AppRouting(apps, listed, true);

    routing.appFor(Optional.of("nonexistent"), "hr-cn", problems);
    routing.appFor(Optional.of("marketing"), "hr-cn", problems);

    assertThat(problems.get(0).replace("nonexistent", "X")).isEqualTo(problems.get(1).replace("marketing", "X"));
    assertThat(String.join(" ", problems)).contains("it may use hr").doesNotContain("finance").doesNotContain("default,")
        .doesNotContain("configured");
  }

  @Test
  void aTenantListedBySeveralAppsButNotTheDefaultMustNameOneInTheHeader() {
    AppRouting routing = new AppRouting(apps, listed, false);

    assertThat(routing.appFor(Optional.empty(), "shared", problems)).isNull();
    assertThat(problems).singleElement().asString().contains("'shared' may use the Feishu apps hr, finance",
        "task header feishuApp");
  }

  @Test
  void aTenantNoAppListsIsRefusedWhenSoConfigured() {
    assertThat(new AppRouting(apps, listed, true).appFor(Optional.empty(), "globex", problems)).isNull();
    assertThat(problems).singleElement().asString().contains("no Feishu app serves the Camunda tenant 'globex'");
  }

  @Test
  void aJobWithoutATenantIdBelongsToTheDefaultTenant() {
    AppRouting routing = new AppRouting(apps, Map.of("<default>", List.of("hr")), true);

    assertThat(name(routing.appFor(Optional.of("hr"), "", problems))).isEqualTo("hr");
    assertThat(name(routing.appFor(Optional.empty(), null, problems))).isEqualTo("hr");
    assertThat(routing.appFor(Optional.of("finance"), "", problems)).isNull();
    assertThat(problems).singleElement().asString().contains("the Camunda tenant '<default>' may not use");
  }

  private String name(FeishuClient client) {
    return apps.all().entrySet().stream().filter(e -> e.getValue() == client).map(Map.Entry::getKey).findFirst()
        .orElseThrow();
  }

  private static FeishuApps apps(String... names) {
    Map<String, FeishuSettings> settings = new LinkedHashMap<>();
    for (String name : names) {
      settings.put(name, new FeishuSettings(URI.create("http://127.0.0.1:9"), "cli_" + name, "s",
          Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1), 0,
          Duration.ofMinutes(1), Duration.ZERO, Duration.ofSeconds(1)));
    }
    Clock clock = Clock.systemUTC();
    return FeishuApps.of(settings, new ObjectMapper(), clock, FeishuEvents.NONE, QuotaStore.inProcess(1,
        Duration.ofMinutes(1), clock), TicketStore.inProcess(clock));
  }
}
