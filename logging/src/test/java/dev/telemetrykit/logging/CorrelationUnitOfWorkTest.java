package dev.telemetrykit.logging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.telemetrykit.core.UnitOfWork;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A correlation scope is a unit of work, ended before its ID leaves the MDC. */
class CorrelationUnitOfWorkTest {

  @Test
  void aScopeOpensAUnitAndEndsItWhileItsIdIsStillInTheMdc() {
    List<String> seen = new ArrayList<>();
    try (CorrelationScope outer = TelemetryLogging.correlate("batch-7")) {
      UnitOfWork unit = UnitOfWork.current();
      assertThat(unit).isNotNull();
      assertThat(unit.name()).isEqualTo(CorrelationScope.UNIT_NAME);
      unit.onEnd(u -> seen.add(MDC.get(TelemetryLogging.CORRELATION_ID)));
      try (CorrelationScope inner = TelemetryLogging.correlate("item-1")) {
        assertThat(UnitOfWork.current()).isSameAs(unit);
      }
      assertThat(seen).isEmpty();
    }
    assertThat(seen).containsExactly("batch-7");
    assertThat(UnitOfWork.current()).isNull();
  }
}
