package dev.telemetrykit.http.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.classic.ExecChain;
import org.apache.hc.client5.http.classic.ExecChainHandler;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;

/**
 * Apache HttpClient 5 classic exec-chain handler, installed first in the chain so that one
 * record covers redirects and retries. The call's own exceptions are rethrown unchanged.
 */
public final class ApacheExecHandler implements ExecChainHandler {

  /** Name of the handler in the exec chain. */
  public static final String NAME = "telemetrykit";

  private final ClientInstrumenter client;

  public ApacheExecHandler(ClientInstrumenter client) {
    this.client = client;
  }

  @Override
  public ClassicHttpResponse execute(ClassicHttpRequest request, ExecChain.Scope scope,
      ExecChain chain) throws IOException, HttpException {
    ClientInstrumenter.Call call = null;
    ExecChain.Scope next = scope;
    try {
      call = client.begin(request.getMethod(), uri(request, scope == null ? null : scope.route),
          request.containsHeader(client.primaryHeader()));
      if (ClientInstrumenter.needsHeaders(call)) {
        // the headers written, as name/value pairs: RedirectExec rebuilds a followed request
        // from the scope's original request, so that one must carry them too
        List<String> written = new ArrayList<>(4);
        client.inject(call, request, (carrier, key, value) -> {
          carrier.setHeader(key, value);
          written.add(key);
          written.add(value);
        });
        if (scope != null && scope.originalRequest != null && !written.isEmpty()) {
          ClassicHttpRequest original = ClassicRequestBuilder.copy(scope.originalRequest).build();
          for (int i = 0; i < written.size(); i += 2) {
            original.setHeader(written.get(i), written.get(i + 1));
          }
          next = new ExecChain.Scope(scope.exchangeId, scope.route, original, scope.execRuntime,
              scope.clientContext);
        }
      }
    } catch (Throwable t) {
      client.failed(t);
    }
    ClassicHttpResponse response;
    try {
      response = chain.proceed(request, next);
    } catch (IOException | HttpException | RuntimeException | Error e) {
      if (call != null) {
        call.end(0, e);
      }
      throw e;
    }
    if (call != null) {
      call.end(response.getCode(), null);
    }
    return response;
  }

  /** The request's URI, completed with the route's target when the request line is relative. */
  static URI uri(HttpRequest request, HttpRoute route) throws Exception {
    URI uri = request.getUri();
    if (uri.getHost() == null && route != null) {
      HttpHost target = route.getTargetHost();
      uri = new URI(target.getSchemeName(), null, target.getHostName(), target.getPort(),
          uri.getPath(), null, null);
    }
    return uri;
  }
}
