package io.github.feishuapproval.reliability;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.model.bpmn.Bpmn;
import io.camunda.zeebe.model.bpmn.BpmnModelInstance;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.github.feishuapproval.app.FeishuApprovalWorkerApplication;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.worker.FeishuWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real Spring worker against an engine and a Feishu simulator of its own (the process tests' worker polls the
 * shared engine for the same job type, so sharing it would split the jobs between two workers). HTTP timeouts are short
 * so that stalls resolve in seconds, and the worker's job client can be told to lose completions.
 */
@SpringBootTest(classes = FeishuApprovalWorkerApplication.class)
@Import(ReliabilityTestSupport.LosingCompletions.class)
// closed after each class, so that its worker does not poll this engine while another engine answers in the JVM
// (see ProcessTestSupport)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class ReliabilityTestSupport {

  static final String EXAMPLE_PROCESS = "feishu-approval-reject-example";
  /** Rejects with a one-second first retry backoff; a catch-all boundary event takes every Feishu error. */
  static final String QUICK_PROCESS = "reliability-reject";
  static final Duration JOB_TIMEOUT = Duration.ofSeconds(15);
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
  static final Duration READ_TIMEOUT = Duration.ofMillis(1500);

  static final ZeebeTestEngine ENGINE = startEngine();
  static final FeishuSimulator FEISHU = new FeishuSimulator().start();
  static final EngineProbe PROBE = new EngineProbe(ENGINE, Duration.ofSeconds(30));
  static final LostCompletions LOST = new LostCompletions();

  private static final AtomicLong TASK_IDS = new AtomicLong(1785996265200000L);
  private static boolean deployed;

  @Autowired CamundaClient camunda;
  @Autowired FeishuWorkers workers;

  private final List<Long> started = new CopyOnWriteArrayList<>();

  @DynamicPropertySource
  static void wireEngineAndSimulator(DynamicPropertyRegistry registry) {
    registry.add("camunda.client.grpc-address", ReliabilityTestSupport::grpcAddress);
    registry.add("camunda.client.prefer-rest-over-grpc", () -> "false");
    registry.add("feishu.app-id", () -> FeishuSimulator.APP_ID);
    registry.add("feishu.app-secret", () -> FeishuSimulator.APP_SECRET);
    registry.add("feishu.base-url", () -> FEISHU.baseUrl().toString());
    registry.add("feishu.http.connect-timeout", () -> "1s");
    registry.add("feishu.http.read-timeout", READ_TIMEOUT::toString);
    registry.add("feishu.http.call-timeout", CALL_TIMEOUT::toString);
    registry.add("feishu.http.rate-limit-default-wait", () -> "3s");
    registry.add("feishu.worker.job-timeout", JOB_TIMEOUT::toString);
    // the worker's own quota counts real minutes; this suite makes hundreds of calls a minute on purpose
    registry.add("feishu.rate-limit.calls", () -> "0");
  }

  /** Wraps the worker's Camunda client so that tests can lose chosen completions on the way to the engine. */
  @TestConfiguration(proxyBeanMethods = false)
  static class LosingCompletions {
    @Bean
    static BeanPostProcessor completionsCanBeLost() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
          return bean instanceof CamundaClient client ? LOST.decorate(client) : bean;
        }
      };
    }
  }

  @BeforeEach
  void resetFeishuAndDeploy() {
    FEISHU.reset();
    LOST.clear();
    synchronized (ReliabilityTestSupport.class) {
      if (!deployed) {
        camunda.newDeployResourceCommand()
            .addResourceFile(Path.of("bpmn", "feishu-approval-reject.bpmn").toString())
            .addProcessModel(quickProcess(), QUICK_PROCESS + ".bpmn")
            .send().join();
        deployed = true;
      }
    }
  }

  /** An instance a test left unfinished would come back on the next test's time jumps: cancel it. */
  @AfterEach
  void cancelUnfinishedInstances() {
    for (long instance : started) {
      if (PROBE.endingOf(instance).isPresent()) continue;
      try {
        camunda.newCancelInstanceCommand(instance).send().join();
      } catch (RuntimeException alreadyGone) {
        // it ended between the check and the cancel
      }
    }
  }

  long start(String bpmnProcessId, Map<String, Object> variables) {
    long instance = camunda.newCreateInstanceCommand().bpmnProcessId(bpmnProcessId).latestVersion()
        .variables(variables).send().join().getProcessInstanceKey();
    started.add(instance);
    return instance;
  }

  static String newTaskId() {
    return Long.toString(TASK_IDS.incrementAndGet());
  }

  private static BpmnModelInstance quickProcess() {
    return Bpmn.createExecutableProcess(QUICK_PROCESS)
        .startEvent()
        .serviceTask("Reject", task -> task.zeebeJobType("feishu-approval-reject").zeebeJobRetries("3")
            .zeebeTaskHeader("retryBackoff", "PT1S").zeebeTaskHeader("resultVariable", "rejectResult"))
        .endEvent("Rejected")
        .moveToActivity("Reject")
        .boundaryEvent("AnyFeishuError").error()
        .endEvent("FeishuErrorHandled")
        .done();
  }

  private static ZeebeTestEngine startEngine() {
    ZeebeTestEngine engine = EngineLogGuard.guard(EngineFactory.create());
    engine.start();
    return engine;
  }

  private static String grpcAddress() {
    String address = ENGINE.getGatewayAddress();
    return "http://127.0.0.1:" + address.substring(address.lastIndexOf(':') + 1);
  }
}
