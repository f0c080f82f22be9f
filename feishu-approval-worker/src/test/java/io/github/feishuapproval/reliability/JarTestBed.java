package io.github.feishuapproval.reliability;

import io.camunda.client.CamundaClient;
import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import io.github.feishuapproval.sandbox.EngineLogGuard;
import io.github.feishuapproval.sandbox.EngineProbe;
import io.github.feishuapproval.testkit.FeishuSimulator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** A fresh engine with the reject example deployed, a Feishu simulator and a client, for tests of the built jar. */
record JarTestBed(ZeebeTestEngine engine, FeishuSimulator feishu, CamundaClient client, EngineProbe probe)
    implements AutoCloseable {

  static JarTestBed start() {
    return start(new FeishuSimulator());
  }

  /** With this simulator (not yet started), e.g. one answering over TLS. */
  static JarTestBed start(FeishuSimulator feishu) {
    ZeebeTestEngine engine = EngineLogGuard.guard(EngineFactory.create());
    engine.start();
    CamundaClient client = CamundaClient.newClientBuilder()
        .grpcAddress(URI.create(grpcAddress(engine)))
        .preferRestOverGrpc(false)
        .build();
    client.newDeployResourceCommand().addResourceFile(Path.of("bpmn", "feishu-approval-reject.bpmn").toString())
        .send().join();
    return new JarTestBed(engine, feishu.start(), client, new EngineProbe(engine, Duration.ofSeconds(30)));
  }

  /** The address to hand the worker as {@code camunda.client.grpc-address}. */
  String grpcAddress() {
    return grpcAddress(engine);
  }

  private static String grpcAddress(ZeebeTestEngine engine) {
    String address = engine.getGatewayAddress();
    return "http://127.0.0.1:" + address.substring(address.lastIndexOf(':') + 1);
  }

  @Override
  public void close() {
    client.close();
    engine.stop();
    feishu.close();
  }
}
