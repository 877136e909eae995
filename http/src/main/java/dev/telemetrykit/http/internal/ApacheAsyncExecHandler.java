package dev.telemetrykit.http.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.hc.client5.http.async.AsyncExecCallback;
import org.apache.hc.client5.http.async.AsyncExecChain;
import org.apache.hc.client5.http.async.AsyncExecChainHandler;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.CancellableDependency;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncDataConsumer;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.support.BasicRequestBuilder;

/**
 * Apache HttpClient 5 async exec-chain handler, installed first in the chain so that one record
 * covers redirects and retries. Like the classic {@link ApacheExecHandler}, the call ends when
 * the final response head arrives (the body is the application's business), or on the first
 * failure or cancellation. The call's own callbacks and exceptions pass through unchanged.
 *
 * <p>Cancelling the future cancels whatever step is in progress (the connection lease, the
 * exchange); the exec callback then sees that step's own failure, not a cancellation. So the
 * handler also sits between the future and each step: it hands the chain a
 * {@link CancellableDependency} that records the {@link CancellationException} the application
 * sees when the cancelled future cancels the current step (also a step registered after the
 * cancel, which the future cancels at once).
 */
public final class ApacheAsyncExecHandler implements AsyncExecChainHandler {

  /** Name of the handler in the exec chain. */
  public static final String NAME = ApacheExecHandler.NAME;

  private final ClientInstrumenter client;

  public ApacheAsyncExecHandler(ClientInstrumenter client) {
    this.client = client;
  }

  @Override
  public void execute(HttpRequest request, AsyncEntityProducer entityProducer,
      AsyncExecChain.Scope scope, AsyncExecChain chain, AsyncExecCallback callback)
      throws HttpException, IOException {
    ClientInstrumenter.Call call = null;
    AsyncExecChain.Scope next = scope;
    AsyncExecCallback nextCallback = callback;
    try {
      call = client.begin(request.getMethod(),
          ApacheExecHandler.uri(request, scope == null ? null : scope.route),
          request.containsHeader(client.primaryHeader()));
      nextCallback = new Callback(callback, call, client);
      // the headers written, as name/value pairs, to be repeated on the scope's request
      List<String> written = new ArrayList<>(4);
      if (ClientInstrumenter.needsHeaders(call)) {
        client.inject(call, request, (carrier, key, value) -> {
          carrier.setHeader(key, value);
          written.add(key);
          written.add(value);
        });
      }
      if (scope != null && scope.cancellableDependency != null) {
        // redirects and authentication retries rebuild the request from the scope's original
        // request, so it must carry the same headers
        HttpRequest original = scope.originalRequest;
        if (original != null && !written.isEmpty()) {
          original = BasicRequestBuilder.copy(original).build();
          for (int i = 0; i < written.size(); i += 2) {
            original.setHeader(written.get(i), written.get(i + 1));
          }
        }
        next = new AsyncExecChain.Scope(scope.exchangeId, scope.route, original,
            new Dependency(scope.cancellableDependency, call, client), scope.clientContext,
            scope.execRuntime, scope.scheduler, scope.execCount);
      }
    } catch (Throwable t) {
      client.failed(t);
    }
    try {
      chain.proceed(request, entityProducer, next, nextCallback);
    } catch (IOException | HttpException | RuntimeException | Error e) {
      if (call != null) {
        call.end(0, e);
      }
      throw e;
    }
  }

  /** Ends the call on the final response head, completion or failure; then delegates. */
  private record Callback(AsyncExecCallback delegate, ClientInstrumenter.Call call,
      ClientInstrumenter client) implements AsyncExecCallback {

    @Override
    public AsyncDataConsumer handleResponse(HttpResponse response, EntityDetails entityDetails)
        throws HttpException, IOException {
      try {
        call.end(response.getCode(), null);
      } catch (Throwable t) {
        client.failed(t);
      }
      return delegate.handleResponse(response, entityDetails);
    }

    @Override
    public void handleInformationResponse(HttpResponse response)
        throws HttpException, IOException {
      delegate.handleInformationResponse(response);
    }

    @Override
    public void completed() {
      // normally a no-op: handleResponse came first; a safety net so the call always ends
      call.end(0, null);
      delegate.completed();
    }

    @Override
    public void failed(Exception cause) {
      call.end(0, cause);
      delegate.failed(cause);
    }
  }

  /**
   * The future's dependency as the chain sees it: each step the chain registers is wrapped so
   * that the future cancelling it records the cancellation first.
   */
  private record Dependency(CancellableDependency delegate, ClientInstrumenter.Call call,
      ClientInstrumenter client) implements CancellableDependency {

    @Override
    public void setDependency(Cancellable dependency) {
      delegate.setDependency(() -> {
        // the future also cancels a step registered after it is done; only a cancelled
        // future means the application cancelled the call
        try {
          if (delegate.isCancelled()) {
            call.end(0, new CancellationException("Request execution cancelled"));
          }
        } catch (Throwable t) {
          client.failed(t);
        }
        return dependency.cancel();
      });
    }

    @Override
    public boolean isCancelled() {
      return delegate.isCancelled();
    }

    @Override
    public boolean cancel() {
      return delegate.cancel();
    }
  }
}
