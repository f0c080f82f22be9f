package io.github.feishuapproval.sandbox;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Makes the embedded engine's in-memory log safe to read while it is written. Zeebe Process Test 8.8 keeps the log in
 * a plain {@code ArrayList}, appended from the gateway's request threads and read by the stream processor on its own
 * thread; under load the processor can read a half-published entry (null), fail with a NullPointerException and stop
 * for good, so that no job is handed out or completed any more. Tests that drive several worker JVMs against one
 * engine hit it; this wraps the list in a synchronized one before the engine starts.
 */
public final class EngineLogGuard {

  private EngineLogGuard() {}

  /** Call between {@code EngineFactory.create()} and {@code start()}. */
  public static ZeebeTestEngine guard(ZeebeTestEngine engine) {
    try {
      Object logStream = read(engine, "logStream");
      Object storage = read(logStream, "logStorage");
      Field entries = field(storage.getClass(), "logEntries");
      @SuppressWarnings("unchecked")
      List<Object> plain = (List<Object>) entries.get(storage);
      List<Object> guarded = Collections.synchronizedList(new ArrayList<>(plain));
      entries.set(storage, guarded);
      if (entries.get(storage) != guarded) throw new IllegalStateException("the engine's log could not be replaced");
      return engine;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("the embedded engine's log is not where Zeebe Process Test 8.8 keeps it: check "
          + "whether this workaround is still needed", e);
    }
  }

  private static Object read(Object owner, String name) throws ReflectiveOperationException {
    return field(owner.getClass(), name).get(owner);
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      try {
        Field field = c.getDeclaredField(name);
        field.setAccessible(true);
        return field;
      } catch (NoSuchFieldException notHere) {
        // look in the superclass
      }
    }
    throw new NoSuchFieldException(type.getName() + "." + name);
  }
}
