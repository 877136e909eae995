package dev.telemetrykit.http;

import dev.telemetrykit.core.TelemetryKit;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;

/** Shared set-up: a TelemetryKit on its own registry and port, an OTel SDK with a test exporter. */
final class Fixtures {

  private Fixtures() {}

  static TelemetryKit.Builder kit() {
    return TelemetryKit.builder().serviceName("http-test").metricsPort(0).shutdownHook(false)
        .jvmMetrics(false).registry(new PrometheusRegistry()).modules();
  }

  /** An SDK exporting every span synchronously into {@code exporter}, W3C propagation. */
  static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** Sends raw bytes to 127.0.0.1:port (header values the JDK client refuses to send). */
  /**
   * An SDK exporting to {@code exporter} whose propagator throws on every inject: what the
   * failure-isolation tests of the clients use.
   */
  static OpenTelemetrySdk sdkWithFailingPropagator(InMemorySpanExporter exporter) {
    TextMapPropagator broken = new TextMapPropagator() {
      @Override
      public Collection<String> fields() {
        return List.of("traceparent");
      }

      @Override
      public <C> void inject(Context context, C carrier, TextMapSetter<C> setter) {
        throw new IllegalStateException("broken propagator");
      }

      @Override
      public <C> Context extract(Context context, C carrier, TextMapGetter<C> getter) {
        return context;
      }
    };
    return OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
        .setPropagators(ContextPropagators.create(broken)).build();
  }

  static String rawRequest(int port, String headerName, byte[] headerValue) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.write(("GET /orders/1 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headerName + ": ")
          .getBytes(StandardCharsets.ISO_8859_1));
      req.write(headerValue);
      req.write("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.write(req.toByteArray());
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** The value of a response header in a raw HTTP response, or null. */
  static String header(String rawResponse, String name) {
    for (String line : rawResponse.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }
}
