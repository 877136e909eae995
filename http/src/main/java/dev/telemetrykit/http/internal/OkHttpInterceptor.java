package dev.telemetrykit.http.internal;

import io.opentelemetry.context.propagation.TextMapSetter;
import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp application interceptor: one record per logical call (redirects and retries happen
 * inside {@code chain.proceed}). The call's own exceptions are rethrown unchanged.
 */
public final class OkHttpInterceptor implements Interceptor {

  private static final TextMapSetter<Request.Builder> SETTER = (carrier, key, value) -> {
    if (carrier != null) {
      carrier.header(key, value);
    }
  };

  private final ClientInstrumenter client;

  public OkHttpInterceptor(ClientInstrumenter client) {
    this.client = client;
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    ClientInstrumenter.Call call = null;
    try {
      call = client.begin(request.method(), request.url().uri(),
          request.header(client.primaryHeader()) != null);
      if (ClientInstrumenter.needsHeaders(call)) {
        Request.Builder copy = request.newBuilder();
        client.inject(call, copy, SETTER);
        request = copy.build();
      }
    } catch (Throwable t) {
      client.failed(t);
      request = chain.request();
    }
    Response response;
    try {
      response = chain.proceed(request);
    } catch (IOException | RuntimeException | Error e) {
      if (call != null) {
        call.end(0, e);
      }
      throw e;
    }
    if (call != null) {
      call.end(response.code(), null);
    }
    return response;
  }
}
