package io.github.feishuapproval.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.camunda.connector.api.error.ConnectorInputException;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class FeishuTasksTest {

  private static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  private final FeishuApprovalConnector connector = new FeishuApprovalConnector(
      ConnectorSettings.from(Map.of(ConnectorSettings.BASE_URL, FEISHU.baseUrl().toString())::get),
      Clock.systemUTC());

  @AfterAll
  static void stopTheSimulator() {
    FEISHU.close();
  }

  @Test
  void aTaskThatComesBackAfterFeishuCarriedItOutCompletesWithoutASecondCall() throws Exception {
    var task = TaskContexts.task("feishu-approval-reject", reject("1785996265151001", ""), 42);

    Object first = connector.execute(task);
    Object again = connector.execute(task);

    assertThat(again).isEqualTo(first);
    assertThat(FEISHU.callsFor("1785996265151001")).hasSize(1);
  }

  @Test
  void aTenantKeyIsRefusedAsTheConnectorActsOnlyAsSelfBuiltApps() {
    var task = TaskContexts.task("feishu-approval-reject", reject("1785996265151002", ",\"tenantKey\":\"736588c9\""),
        43);

    ConnectorInputException refused = catchThrowableOfType(ConnectorInputException.class,
        () -> connector.execute(task));

    assertThat(refused).hasMessageContaining("tenantKey is set", "Nothing was sent to Feishu");
    assertThat(FEISHU.callsFor("1785996265151002")).isEmpty();
  }

  @Test
  void anUnknownOperationIsBadInputNamingTheOperations() {
    var task = TaskContexts.task("feishu-approval-shred", reject("1785996265151003", ""), 44);

    ConnectorInputException refused = catchThrowableOfType(ConnectorInputException.class,
        () -> connector.execute(task));

    assertThat(refused).hasMessageContaining("feishuOperation must name a Feishu operation", "feishu-approval-reject");
  }

  private static String reject(String taskId, String more) {
    return "{\"feishuAppId\":\"" + FeishuSimulator.APP_ID + "\",\"feishuAppSecret\":\"" + FeishuSimulator.APP_SECRET
        + "\",\"approvalTaskId\":\"" + taskId + "\",\"userId\":\"1783981209205788\"" + more + "}";
  }
}
