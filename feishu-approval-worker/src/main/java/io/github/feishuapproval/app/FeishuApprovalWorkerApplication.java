package io.github.feishuapproval.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class FeishuApprovalWorkerApplication {
  public static void main(String[] args) {
    SpringApplication.run(FeishuApprovalWorkerApplication.class, args);
  }
}
