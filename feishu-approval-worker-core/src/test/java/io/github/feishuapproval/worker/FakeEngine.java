package io.github.feishuapproval.worker;

import io.camunda.client.api.CamundaFuture;
import io.camunda.client.api.worker.JobClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The engine side of a job client: every command a handler starts is recorded with what it was given, and each is
 * answered as the test says (taken by default), or made to break.
 */
final class FakeEngine {

  /** One command: {@code kind} is complete, throwError or fail; {@code given} holds each builder step's argument. */
  record Command(long jobKey, String kind, Map<String, Object> given) {
    int retries() {
      return (Integer) given.getOrDefault("retries", -1);
    }

    String message() {
      return (String) given.getOrDefault("errorMessage", "");
    }

    boolean isIncident() {
      return kind.equals("fail") && retries() == 0;
    }
  }

  final List<Command> commands = new CopyOnWriteArrayList<>();
  /** How the engine answers a command; may throw, as a client that cannot send does. */
  volatile Function<Command, CompletableFuture<Object>> answer = command -> CompletableFuture.completedFuture(null);
  /** Thrown when a command is started, as a broken client would; the attempt is still recorded. */
  volatile RuntimeException refuseToStart;

  JobClient client() {
    return (JobClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {JobClient.class},
        (proxy, method, args) -> {
          if (!method.getName().startsWith("new") || args == null || !(args[0] instanceof Long key)) {
            throw new UnsupportedOperationException(method.getName());
          }
          String kind = method.getName().replace("new", "").replace("Command", "");
          Command command = new Command(key, Character.toLowerCase(kind.charAt(0)) + kind.substring(1),
              new ConcurrentHashMap<>());
          commands.add(command);
          if (refuseToStart != null) throw refuseToStart;
          return step(method.getReturnType(), command);
        });
  }

  List<Command> commandsFor(long jobKey) {
    return commands.stream().filter(c -> c.jobKey() == jobKey).toList();
  }

  private Object step(Class<?> type, Command command) {
    return Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      if (method.getName().equals("send")) return future(answer.apply(command));
      if (args != null && args.length == 1 && args[0] != null) command.given().put(method.getName(), args[0]);
      if (method.getReturnType().isInterface()) return step(method.getReturnType(), command);
      throw new UnsupportedOperationException(method.getName());
    });
  }

  private static CamundaFuture<?> future(CompletableFuture<Object> result) {
    return (CamundaFuture<?>) Proxy.newProxyInstance(FakeEngine.class.getClassLoader(),
        new Class<?>[] {CamundaFuture.class}, (proxy, method, args) -> {
          Method same = CompletableFuture.class.getMethod(method.getName(), method.getParameterTypes());
          try {
            return same.invoke(result, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
