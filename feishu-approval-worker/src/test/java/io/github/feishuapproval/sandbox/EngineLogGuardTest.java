package io.github.feishuapproval.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.camunda.zeebe.process.test.api.ZeebeTestEngine;
import io.camunda.zeebe.process.test.engine.EngineFactory;
import java.lang.reflect.Field;
import java.util.Collections;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;

class EngineLogGuardTest {

  @Test
  void theEnginesLogIsReadAndWrittenUnderOneLockOnceGuarded() throws Exception {
    ZeebeTestEngine engine = EngineLogGuard.guard(EngineFactory.create());
    try {
      engine.start();
      Object log = entries(engine);

      // what Collections.synchronizedList returns: every read and append holds the list's lock
      assertThat(log.getClass()).isEqualTo(Collections.synchronizedList(new ArrayList<>()).getClass());
      assertThat(engine.getRecordStreamSource().getRecords()).isNotNull();
    } finally {
      engine.stop();
    }
  }

  private static Object entries(ZeebeTestEngine engine) throws ReflectiveOperationException {
    Object logStream = get(engine, "logStream");
    Object storage = get(logStream, "logStorage");
    return get(storage, "logEntries");
  }

  private static Object get(Object owner, String name) throws ReflectiveOperationException {
    Field field = owner.getClass().getDeclaredField(name);
    field.setAccessible(true);
    return field.get(owner);
  }
}
