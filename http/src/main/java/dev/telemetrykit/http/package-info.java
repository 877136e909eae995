/**
 * HTTP instrumentation: {@link dev.telemetrykit.http.HttpTelemetry} makes server filters for
 * the JDK {@code HttpServer} and Jakarta Servlet containers and wraps {@code java.net.http}
 * clients; {@link dev.telemetrykit.http.HttpNames} lists every metric, label, MDC and header
 * name.
 *
 * <pre>{@code
 * HttpTelemetry http = HttpTelemetry.builder(telemetry).routes("/orders/{id}").build();
 * server.createContext("/", handler).getFilters().add(http.jdkServerFilter());
 * }</pre>
 */
package dev.telemetrykit.http;
