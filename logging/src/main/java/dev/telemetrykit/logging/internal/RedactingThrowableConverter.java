package dev.telemetrykit.logging.internal;

import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import ch.qos.logback.classic.pattern.ExtendedThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;

/**
 * LLE's default throwable converter, rendering a throwable whose messages (of the whole cause
 * and suppressed chain) are redacted. Frames come from class, method and file names, which the
 * application's data cannot reach, so the encoder does not scan the rendered text again:
 * redacting messages here instead of scanning the whole stack trace keeps exception lines
 * close to plain LLE's cost.
 */
public final class RedactingThrowableConverter extends ExtendedThrowableProxyConverter {

  @Override
  public String convert(ILoggingEvent event) {
    IThrowableProxy tp = event.getThrowableProxy();
    if (tp == null) {
      return "";
    }
    return throwableProxyToString(new Proxy(tp, LoggingState.redactor(), 0));
  }

  private static final class Proxy implements IThrowableProxy {
    private static final int MAX_DEPTH = 64;
    private final IThrowableProxy delegate;
    private final Redactor redactor;
    private final int depth;

    Proxy(IThrowableProxy delegate, Redactor redactor, int depth) {
      this.delegate = delegate;
      this.redactor = redactor;
      this.depth = depth;
    }

    private IThrowableProxy wrap(IThrowableProxy tp) {
      return tp == null ? null : new Proxy(tp, redactor, depth + 1);
    }

    @Override
    public String getOverridingMessage() {
      return redactor.redact(delegate.getOverridingMessage());
    }

    @Override
    public String getMessage() {
      return redactor.redact(delegate.getMessage());
    }

    @Override
    public String getClassName() {
      return delegate.getClassName();
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
      return delegate.getStackTraceElementProxyArray();
    }

    @Override
    public int getCommonFrames() {
      return delegate.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
      return depth >= MAX_DEPTH ? null : wrap(delegate.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
      IThrowableProxy[] suppressed = delegate.getSuppressed();
      if (suppressed == null || suppressed.length == 0) {
        return suppressed;
      }
      if (depth >= MAX_DEPTH) {
        return new IThrowableProxy[0];
      }
      IThrowableProxy[] out = new IThrowableProxy[suppressed.length];
      for (int i = 0; i < suppressed.length; i++) {
        out[i] = wrap(suppressed[i]);
      }
      return out;
    }

    @Override
    public boolean isCyclic() {
      return delegate.isCyclic();
    }
  }
}
