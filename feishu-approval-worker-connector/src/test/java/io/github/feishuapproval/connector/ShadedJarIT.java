package io.github.feishuapproval.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.camunda.connector.api.error.ConnectorException;
import io.camunda.connector.api.outbound.OutboundConnectorContext;
import io.camunda.connector.api.outbound.OutboundConnectorFunction;
import io.github.feishuapproval.testkit.Fault;
import io.github.feishuapproval.testkit.FeishuSimulator;
import io.github.feishuapproval.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.jar.JarFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The jar that goes into the runtime: found through its service file and run with nothing beside it but what every
 * runtime has (the connector SDK, the Camunda client, SLF4J), its OkHttp, Okio, Kotlin, Jackson and Lettuce with Netty
 * and Reactor its own.
 */
class ShadedJarIT {

  private static final Path JAR = Path.of(System.getProperty("connector.jar", "missing: run with mvn verify"));
  private static final FeishuSimulator FEISHU = new FeishuSimulator().start();

  @BeforeAll
  static void pointTheConnectorAtTheSimulator() {
    System.setProperty(ConnectorSettings.BASE_URL, FEISHU.baseUrl().toString());
  }

  @AfterAll
  static void stopTheSimulator() {
    FEISHU.close();
  }

  @Test
  void theServiceFileNamesTheConnectorAndTheBundledLibrariesAreRelocated() throws IOException {
    try (JarFile jar = new JarFile(JAR.toFile())) {
      var services = jar.getEntry("META-INF/services/" + OutboundConnectorFunction.class.getName());
      assertThat(new String(jar.getInputStream(services).readAllBytes(), StandardCharsets.UTF_8).trim())
          .isEqualTo(FeishuApprovalConnector.class.getName());
      // no other service a runtime would load: the bundled libraries' own are under their relocated names
      assertThat(jar.stream().map(entry -> entry.getName())
          .filter(name -> name.startsWith("META-INF/services/") && !name.endsWith("/")))
          .allMatch(name -> name.equals("META-INF/services/" + OutboundConnectorFunction.class.getName())
              || name.startsWith("META-INF/services/io.github.feishuapproval.connector.shaded."));
      List<String> classes = jar.stream().map(entry -> entry.getName()).filter(name -> name.endsWith(".class"))
          .toList();
      assertThat(classes).anyMatch(name -> name.startsWith("io/github/feishuapproval/connector/shaded/okhttp3/"))
          .anyMatch(name -> name.startsWith("io/github/feishuapproval/connector/shaded/jackson/databind/"))
          .anyMatch(name -> name.startsWith("io/github/feishuapproval/connector/shaded/lettuce/core/"))
          .anyMatch(name -> name.startsWith("io/github/feishuapproval/connector/shaded/netty/channel/"))
          .anyMatch(name -> name.startsWith("io/github/feishuapproval/connector/shaded/reactor/core/"))
          .anyMatch(name -> name.startsWith("io/github/feishuapproval/worker/"))
          .noneMatch(name -> unrelocated(name.replaceFirst("^META-INF/versions/\\d+/", "")));
    }
  }

  @Test
  void theRuntimeFindsTheConnectorInTheJarAndItCallsFeishu() throws Exception {
    FEISHU.reset();
    try (URLClassLoader runtime = runtimeWithTheJar()) {
      OutboundConnectorFunction connector = ServiceLoader.load(OutboundConnectorFunction.class, runtime)
          .findFirst().orElseThrow();
      assertThat(connector.getClass().getClassLoader()).isSameAs(runtime);

      Object result = connector.execute(context("1785996265150001"));

      assertThat(result).isInstanceOf(Map.class);
      assertThat(((Map<?, ?>) result).get("code")).hasToString("0");
      assertThat(FEISHU.callsFor("1785996265150001")).hasSize(1);
    }
  }

  @Test
  void aFeishuBusinessErrorLeavesTheJarAsTheSdksExceptionWithItsCode() throws Exception {
    FEISHU.reset();
    FEISHU.script("1785996265150002", Fault.paramInvalid());
    try (URLClassLoader runtime = runtimeWithTheJar()) {
      OutboundConnectorFunction connector = ServiceLoader.load(OutboundConnectorFunction.class, runtime)
          .findFirst().orElseThrow();

      ConnectorException error = catchThrowableOfType(ConnectorException.class,
          () -> connector.execute(context("1785996265150002")));

      assertThat(error.getErrorCode()).isEqualTo("2320001");
      assertThat(error.getErrorVariables()).containsEntry("feishuErrorMsg", "param is invalid");
    }
  }

  @Test
  void withARedisTheJarCountsTheQuotaThereThroughItsOwnLettuce() throws Exception {
    FEISHU.reset();
    Map<String, String> redisSettings = new java.util.HashMap<>();
    try (RedisServer redis = RedisServer.start()) {
      redisSettings.putAll(Map.of(ConnectorSettings.STORE_TYPE, "redis", ConnectorSettings.REDIS_URL, redis.url(),
          ConnectorSettings.REDIS_KEY_PREFIX, "runtime-jar",
          // a Redis that just started holds the quota a window: a short one
          "FEISHU_RATE_LIMIT_WINDOW", "1s"));
      redisSettings.forEach(System::setProperty);
      try (URLClassLoader runtime = runtimeWithTheJar()) {
        OutboundConnectorFunction connector = ServiceLoader.load(OutboundConnectorFunction.class, runtime)
            .findFirst().orElseThrow();
        try {
          Object result = connector.execute(context("1785996265150003"));

          assertThat(((Map<?, ?>) result).get("code")).hasToString("0");
          assertThat(keys(redis)).contains("runtime-jar:started")
              .anyMatch(key -> key.startsWith("runtime-jar:quota:{runtime-jar:" + FeishuSimulator.APP_ID));
        } finally {
          ((AutoCloseable) connector).close();
        }
      }
    } finally {
      redisSettings.keySet().forEach(System::clearProperty);
    }
  }

  /** The keys in {@code redis}, read with this test's own Lettuce. */
  private static List<String> keys(RedisServer redis) {
    RedisClient client = RedisClient.create(redis.url());
    try (var connection = client.connect()) {
      return connection.sync().keys("*");
    } finally {
      client.shutdown();
    }
  }

  private static boolean unrelocated(String name) {
    return name.startsWith("okhttp3/") || name.startsWith("okio/") || name.startsWith("kotlin/")
        || name.startsWith("com/fasterxml/") || name.startsWith("io/camunda/") || name.startsWith("io/lettuce/")
        || name.startsWith("io/netty/") || name.startsWith("reactor/") || name.startsWith("org/reactivestreams/")
        || name.startsWith("redis/");
  }

  /** The jar on a loader that sees, of this test's class path, only what a runtime has. */
  private static URLClassLoader runtimeWithTheJar() throws IOException {
    return new URLClassLoader(new URL[] {JAR.toUri().toURL()}, new RuntimeClasses(ShadedJarIT.class.getClassLoader()));
  }

  private static OutboundConnectorContext context(String taskId) {
    return TaskContexts.task("feishu-approval-reject", "{\"feishuAppId\":\"" + FeishuSimulator.APP_ID
        + "\",\"feishuAppSecret\":\"" + FeishuSimulator.APP_SECRET + "\",\"approvalTaskId\":\"" + taskId
        + "\",\"userId\":\"1783981209205788\"}", Long.parseLong(taskId));
  }

  /** The classes every runtime has, from this test's class path; anything else is not there. */
  private static final class RuntimeClasses extends ClassLoader {

    private static final List<String> RUNTIME = List.of("io.camunda.connector.api.", "io.camunda.client.",
        "io.grpc.", "org.slf4j.");
    private final ClassLoader tests;

    RuntimeClasses(ClassLoader tests) {
      super(ClassLoader.getPlatformClassLoader());
      this.tests = tests;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (RUNTIME.stream().anyMatch(name::startsWith)) return tests.loadClass(name);
      return super.loadClass(name, resolve);
    }
  }
}
