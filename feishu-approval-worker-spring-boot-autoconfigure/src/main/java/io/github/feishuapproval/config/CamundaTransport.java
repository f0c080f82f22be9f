package io.github.feishuapproval.config;

import io.camunda.client.spring.properties.CamundaClientProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Over REST each job type's long poll holds one HTTP connection of the client's pool for as long as the gateway keeps
 * it open (up to the request timeout, 10 s by default), so a pool no larger than the number of job types leaves no
 * connection for the commands that answer jobs. Over gRPC polls and commands share one multiplexed connection.
 */
public final class CamundaTransport {

  private static final Logger log = LoggerFactory.getLogger(CamundaTransport.class);

  private CamundaTransport() {}

  /** The pool the worker needs: a connection per long poll and one per job in flight. */
  public static int connectionsNeeded(int jobTypes, int maxInFlight) {
    return jobTypes + maxInFlight;
  }

  static void check(CamundaClientProperties camunda, int jobTypes, int maxInFlight) {
    if (!camunda.getPreferRestOverGrpc()) return;
    int pool = camunda.getMaxHttpConnections();
    int needed = connectionsNeeded(jobTypes, maxInFlight);
    if (pool <= jobTypes) {
      throw new InvalidConfigurationException("camunda.client.max-http-connections (" + pool + ") leaves no "
          + "connection for job commands over REST: each of the " + jobTypes + " Feishu job types holds one with its "
          + "long poll, so every complete, fail and BPMN error would wait until a poll ends. Set it to " + needed
          + " (a connection per job type and per job in feishu.worker.max-in-flight), or use gRPC with "
          + "camunda.client.prefer-rest-over-grpc=false");
    }
    if (pool < needed) {
      log.warn("camunda.client.max-http-connections is {}: with {} job types polling over REST and up to {} jobs in "
          + "flight, commands may wait for each other; {} keeps every command from waiting", pool, jobTypes,
          maxInFlight, needed);
    }
  }
}
