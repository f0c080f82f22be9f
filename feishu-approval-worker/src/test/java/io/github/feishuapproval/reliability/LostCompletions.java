package io.github.feishuapproval.reliability;

import io.camunda.client.CamundaClient;
import io.camunda.client.api.CamundaFuture;
import io.camunda.client.api.command.CompleteJobCommandStep1;
import io.camunda.client.api.command.FailJobCommandStep1;
import io.camunda.client.api.command.ThrowErrorCommandStep1;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.worker.JobClient;
import io.camunda.client.api.worker.JobWorkerBuilderStep1;
import io.camunda.client.api.worker.JobWorkerBuilderStep1.JobWorkerBuilderStep2;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Loses chosen job completions between the worker and the engine, as a dropped gateway connection would: the complete
 * command never arrives, the worker hears that sending failed, and the engine hands the job out again once its timeout
 * has run out. Everything else the worker sends goes through untouched.
 */
final class LostCompletions {

  private final Map<String, Integer> toLose = new ConcurrentHashMap<>();
  private final List<Long> lostJobKeys = new CopyOnWriteArrayList<>();

  /** The next {@code count} completions of jobs about {@code id} (an approvalTaskId or a flowId) do not reach the engine. */
  void lose(String id, int count) {
    toLose.put(id, count);
  }

  /** Keys of the jobs whose completion was lost, once per loss. */
  List<Long> lostJobKeys() {
    return List.copyOf(lostJobKeys);
  }

  void clear() {
    toLose.clear();
    lostJobKeys.clear();
  }

  /** The client the worker should open its job workers on. */
  CamundaClient decorate(CamundaClient client) {
    return (CamundaClient) Proxy.newProxyInstance(CamundaClient.class.getClassLoader(),
        new Class<?>[] {CamundaClient.class}, (proxy, method, args) -> {
          Object result = invoke(client, method, args);
          return method.getName().equals("newWorker") ? workerBuilder((JobWorkerBuilderStep1) result) : result;
        });
  }

  private JobWorkerBuilderStep1 workerBuilder(JobWorkerBuilderStep1 builder) {
    return jobType -> {
      JobWorkerBuilderStep2 next = builder.jobType(jobType);
      return handler -> next.handler((jobClient, job) -> handler.handle(jobClient(jobClient, job), job));
    };
  }

  private JobClient jobClient(JobClient client, ActivatedJob job) {
    return new JobClient() {
      @Override
      public CompleteJobCommandStep1 newCompleteCommand(long jobKey) {
        return shouldLose(job) ? lostCompletion(jobKey) : client.newCompleteCommand(jobKey);
      }

      @Override
      public CompleteJobCommandStep1 newCompleteCommand(ActivatedJob activated) {
        return shouldLose(job) ? lostCompletion(activated.getKey()) : client.newCompleteCommand(activated);
      }

      @Override
      public FailJobCommandStep1 newFailCommand(long jobKey) {
        return client.newFailCommand(jobKey);
      }

      @Override
      public FailJobCommandStep1 newFailCommand(ActivatedJob activated) {
        return client.newFailCommand(activated);
      }

      @Override
      public ThrowErrorCommandStep1 newThrowErrorCommand(long jobKey) {
        return client.newThrowErrorCommand(jobKey);
      }

      @Override
      public ThrowErrorCommandStep1 newThrowErrorCommand(ActivatedJob activated) {
        return client.newThrowErrorCommand(activated);
      }

      @Override
      public io.camunda.client.api.command.ActivateJobsCommandStep1 newActivateJobsCommand() {
        return client.newActivateJobsCommand();
      }

      @Override
      public io.camunda.client.api.command.StreamJobsCommandStep1 newStreamJobsCommand() {
        return client.newStreamJobsCommand();
      }
    };
  }

  private boolean shouldLose(ActivatedJob job) {
    Map<String, Object> variables = job.getVariablesAsMap();
    Object taskId = variables.containsKey("approvalTaskId") ? variables.get("approvalTaskId") : variables.get("flowId");
    if (taskId == null) return false;
    boolean[] lose = {false};
    toLose.computeIfPresent(taskId.toString(), (id, left) -> {
      lose[0] = true;
      return left > 1 ? left - 1 : null;
    });
    return lose[0];
  }

  /** A complete command that accepts its variables and, when sent, fails without reaching the engine. */
  private CompleteJobCommandStep1 lostCompletion(long jobKey) {
    return (CompleteJobCommandStep1) Proxy.newProxyInstance(CompleteJobCommandStep1.class.getClassLoader(),
        new Class<?>[] {CompleteJobCommandStep1.class}, (proxy, method, args) -> {
          if (method.getName().equals("send")) {
            lostJobKeys.add(jobKey);
            return new NeverArrived<>();
          }
          if (method.getName().equals("toString")) return "lost completion of job " + jobKey;
          if (method.getReturnType().isInstance(proxy)) return proxy;
          throw new UnsupportedOperationException("a lost completion does not support " + method.getName());
        });
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** What the worker gets back for a command the gateway never received. */
  private static final class NeverArrived<T> extends CompletableFuture<T> implements CamundaFuture<T> {
    NeverArrived() {
      completeExceptionally(new IOException("the connection to the gateway was lost before the command arrived"));
    }

    @Override
    public T join(long timeout, TimeUnit unit) {
      return join();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning, Throwable cause) {
      return cancel(mayInterruptIfRunning);
    }
  }
}
