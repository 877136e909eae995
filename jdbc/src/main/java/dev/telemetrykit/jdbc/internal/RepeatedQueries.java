package dev.telemetrykit.jdbc.internal;

import dev.telemetrykit.core.UnitOfWork;
import dev.telemetrykit.jdbc.JdbcNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports, when a unit of work ends, the statements that ran at least their data source's
 * repeat threshold times in it: one WARN line for the unit and one event per statement on the
 * span current at the end of the unit (the request's server span in the http filters). The
 * counter was already incremented when each statement reached the threshold.
 */
final class RepeatedQueries implements UnitOfWork.EndListener {

  static final RepeatedQueries REPORT = new RepeatedQueries();

  /** Span event name. */
  static final String EVENT = "db.repeated_query";
  static final AttributeKey<Long> REPEAT_COUNT = AttributeKey.longKey("db.repeat.count");

  private static final Logger LOG = LoggerFactory.getLogger(JdbcNames.REPEATED_QUERIES_LOGGER);

  private RepeatedQueries() {}

  @Override
  public void unitEnded(UnitOfWork unit) {
    Recorder failed = null;
    try {
      StringBuilder list = new StringBuilder();
      int statements = 0;
      String topText = null;
      int topCount = 0;
      Span span = Span.current();
      boolean recording = span.isRecording();
      for (int i = 0; i < unit.size(); i++) {
        SqlInfo info = (SqlInfo) unit.value(i);
        int count = unit.count(i);
        failed = info.recorder;
        if (count < info.recorder.repeatThreshold()) {
          continue;
        }
        statements++;
        String text = info.sanitized();
        if (count > topCount) {
          topCount = count;
          topText = text;
        }
        if (list.length() > 0) {
          list.append("; ");
        }
        list.append(count).append(" x ").append(text);
        if (recording) {
          AttributesBuilder a = Attributes.builder()
              .put(Recorder.DB_SYSTEM_NAME, info.recorder.systemName())
              .put(Recorder.DB_OPERATION_NAME, info.operation)
              .put(Recorder.DB_QUERY_TEXT, text)
              .put(REPEAT_COUNT, (long) count);
          if (info.collection != null) {
            a.put(Recorder.DB_COLLECTION_NAME, info.collection);
          }
          span.addEvent(EVENT, a.build());
        }
      }
      if (statements == 0) {
        return;
      }
      LOG.atWarn()
          .addKeyValue(JdbcNames.LOG_UNIT_OF_WORK, unit.name())
          .addKeyValue(JdbcNames.LOG_QUERY_TEXT, topText)
          .addKeyValue(JdbcNames.LOG_REPEAT_COUNT, topCount)
          .log("Repeated database statements in '{}' (N+1 query pattern; batch them or use a"
                  + " join): {}{}; counted in {}", unit.name(), list,
              unit.overflowed() ? " (more distinct statements than tracked)" : "",
              JdbcNames.REPEATED_QUERIES);
    } catch (Throwable t) {
      if (failed != null) {
        failed.recordError(t);
      }
    }
  }
}
