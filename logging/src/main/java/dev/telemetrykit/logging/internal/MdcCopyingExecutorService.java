package dev.telemetrykit.logging.internal;

import dev.telemetrykit.core.internal.MdcContext;
import dev.telemetrykit.core.internal.WrappingExecutorService;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;

/** An {@link ExecutorService} whose tasks run with the submitting thread's MDC. */
public final class MdcCopyingExecutorService extends WrappingExecutorService {

  /** Wraps {@code delegate}. */
  public MdcCopyingExecutorService(ExecutorService delegate) {
    super(delegate);
  }

  /** {@code task} with the caller's MDC captured now and installed around its run. */
  public static Runnable copying(Runnable task) {
    Map<String, String> captured = MdcContext.capture();
    return () -> {
      Map<String, String> previous = MdcContext.capture();
      MdcContext.install(captured);
      try {
        task.run();
      } finally {
        MdcContext.install(previous);
      }
    };
  }

  /** {@code task} with the caller's MDC captured now and installed around its call. */
  public static <T> Callable<T> copying(Callable<T> task) {
    Map<String, String> captured = MdcContext.capture();
    return () -> {
      Map<String, String> previous = MdcContext.capture();
      MdcContext.install(captured);
      try {
        return task.call();
      } finally {
        MdcContext.install(previous);
      }
    };
  }

  @Override
  protected Runnable wrap(Runnable task) {
    return copying(task);
  }

  @Override
  protected <T> Callable<T> wrap(Callable<T> task) {
    return copying(task);
  }
}
