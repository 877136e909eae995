package dev.telemetrykit.http;

import java.util.List;

/**
 * Every name the HTTP instrumentation exposes — metric names, label names, the MDC key and
 * header names — in one place. These are TelemetryKit's public contract (CONVENTIONS.md):
 * dashboards, alert rules and the logging module read them.
 *
 * <pre>{@code
 * String id = org.slf4j.MDC.get(HttpNames.MDC_CORRELATION_ID);   // inside a request
 * }</pre>
 *
 * @since 0.1.0
 */
public final class HttpNames {

  private HttpNames() {}

  // ---- server metrics ------------------------------------------------------------------

  /** Histogram of server request durations, seconds. */
  public static final String SERVER_DURATION = "http_server_request_duration_seconds";
  /** Gauge of in-flight server requests. */
  public static final String SERVER_ACTIVE = "http_server_active_requests";
  /** Histogram of request body sizes where the size is known (Content-Length). */
  public static final String SERVER_REQUEST_BODY_SIZE = "http_server_request_body_size_bytes";
  /** Histogram of response body sizes where the size is known (Content-Length). */
  public static final String SERVER_RESPONSE_BODY_SIZE = "http_server_response_body_size_bytes";

  // ---- client metrics ------------------------------------------------------------------

  /** Histogram of client request durations, seconds. */
  public static final String CLIENT_DURATION = "http_client_request_duration_seconds";
  /** Gauge of in-flight client requests. */
  public static final String CLIENT_ACTIVE = "http_client_active_requests";

  // ---- labels (semconv attribute names with dots turned into underscores) ---------------

  /** Label: the request method, or {@value #OTHER} for a method not in RFC 9110/5789. */
  public static final String METHOD = "http_request_method";
  /** Label: the response status code; empty when no response was sent. */
  public static final String STATUS_CODE = "http_response_status_code";
  /** Label: the route template, never the raw path. */
  public static final String ROUTE = "http_route";
  /** Label: {@code http} or {@code https}. */
  public static final String SCHEME = "url_scheme";
  /** Label: exception class name, or the status code for a failed status; empty on success. */
  public static final String ERROR_TYPE = "error_type";
  /** Label: the host the client called. */
  public static final String SERVER_ADDRESS = "server_address";
  /** Label: the port the client called. */
  public static final String SERVER_PORT = "server_port";

  /** Value for an unknown method or a path that matched no registered route template. */
  public static final String OTHER = "_OTHER";

  // ---- correlation ID ------------------------------------------------------------------

  /** SLF4J MDC key holding the request's correlation ID for exactly the request's duration. */
  public static final String MDC_CORRELATION_ID = "correlation_id";
  /**
   * Servlet request attribute holding the correlation ID, for threads that finish an async
   * request (the MDC entry lives on the filter's thread only).
   */
  public static final String CORRELATION_ID_ATTRIBUTE = "dev.telemetrykit.http.correlation_id";
  /** First header read for an incoming correlation ID, and the one sent by the client. */
  public static final String HEADER_REQUEST_ID = "X-Request-ID";
  /** Second header read for an incoming correlation ID. */
  public static final String HEADER_CORRELATION_ID = "X-Correlation-ID";
  /** Default correlation headers, in the order they are read. */
  public static final List<String> DEFAULT_CORRELATION_HEADERS =
      List.of(HEADER_REQUEST_ID, HEADER_CORRELATION_ID);

  // ---- settings ------------------------------------------------------------------------

  /**
   * Setting: comma-separated correlation header names, read in order, default
   * {@code X-Request-ID,X-Correlation-ID}. A builder value wins.
   */
  public static final String SETTING_CORRELATION_HEADERS = "TELEMETRYKIT_HTTP_CORRELATION_HEADERS";

  /**
   * Setting: {@code true} makes the server filters echo the correlation ID in the response
   * (the ID is read, generated, logged and sent by the clients either way); default
   * {@code false}. In a hello-world JDK server the echoed header costs about 1 % of throughput
   * and 1.7 % of the server's CPU per request. A builder value wins.
   */
  public static final String SETTING_CORRELATION_ECHO = "TELEMETRYKIT_HTTP_CORRELATION_ECHO";

  /**
   * Setting: {@code true} writes one access-log event per server request on logger
   * {@value #ACCESS_LOGGER}; default {@code false}.
   */
  public static final String SETTING_ACCESS_LOG = "TELEMETRYKIT_HTTP_ACCESS_LOG";
  /**
   * Setting: a duration (e.g. {@code 500ms}); when set, the access log keeps only requests at
   * least this slow, plus failed ones (exception or 5xx). Unset: every request.
   */
  public static final String SETTING_ACCESS_LOG_SLOW = "TELEMETRYKIT_HTTP_ACCESS_LOG_SLOW";
  /** SLF4J logger name of the access log. */
  public static final String ACCESS_LOGGER = "telemetrykit.http.access";

  // ---- spans ---------------------------------------------------------------------------

  /** Instrumentation scope name of the spans. */
  public static final String INSTRUMENTATION_SCOPE = "dev.telemetrykit.http";
}
