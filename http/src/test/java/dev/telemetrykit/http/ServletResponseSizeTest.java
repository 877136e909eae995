package dev.telemetrykit.http;

import static dev.telemetrykit.http.Metrics.await;
import static dev.telemetrykit.http.Metrics.sum;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.telemetrykit.core.TelemetryKit;
import dev.telemetrykit.core.testing.Scrapes;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Response body sizes from the servlet filter in a real Jetty 12 (ee10): the bytes the client
 * receives, whether the body is chunked, written as text in any encoding, announced by
 * {@code Content-Length}, or written after the request went async. The access log says the
 * same number as the histogram.
 */
class ServletResponseSizeTest {

  /** Non-ASCII on purpose: 2-, 3- and 4-byte UTF-8 sequences, the last a surrogate pair. */
  static final String TEXT = "héllo wörld — ✓ 😀 ";

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
  private final Logger accessLogger = (Logger) LoggerFactory.getLogger(HttpNames.ACCESS_LOGGER);
  private final ExecutorService worker = Executors.newSingleThreadExecutor();
  private TelemetryKit kit;
  private Server jetty;
  private HttpClient client;
  private int port;

  @BeforeEach
  void setUp() throws Exception {
    lines.start();
    accessLogger.addAppender(lines);
    kit = Fixtures.kit().setting(HttpNames.SETTING_ACCESS_LOG, "true").start();
    HttpTelemetry http = HttpTelemetry.builder(kit).build();
    jetty = new Server();
    ServerConnector connector = new ServerConnector(jetty);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    jetty.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addFilter(new FilterHolder(http.servletFilter()), "/*",
        EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(new Chunked()), "/chunked");
    context.addServlet(new ServletHolder(new Text("UTF-8")), "/utf8");
    context.addServlet(new ServletHolder(new Text("ISO-8859-1")), "/latin1");
    context.addServlet(new ServletHolder(new Fixed()), "/fixed");
    context.addServlet(new ServletHolder(new Reset()), "/reset");
    context.addServlet(new ServletHolder(new AsyncThroughFilterResponse()), "/async-wrapped");
    context.addServlet(new ServletHolder(new AsyncThroughOriginal()), "/async-original");
    jetty.setHandler(context);
    jetty.start();
    port = connector.getLocalPort();
    client = HttpClient.newHttpClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    accessLogger.detachAppender(lines);
    jetty.stop();
    worker.shutdownNow();
    kit.close();
  }

  /** Two flushed parts, no Content-Length: sent chunked. */
  private static final class Chunked extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      ServletOutputStream out = resp.getOutputStream();
      out.write(new byte[5000]);
      out.flush();
      out.write('x');
      out.print("tail");
      out.flush();
    }
  }

  /** Text through the writer, every PrintWriter path, in the given encoding. */
  private static final class Text extends HttpServlet {
    private final String encoding;

    Text(String encoding) {
      this.encoding = encoding;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("text/plain");
      resp.setCharacterEncoding(encoding);
      PrintWriter w = resp.getWriter();
      w.print(TEXT);
      w.println(42);
      w.printf("%s|%d%n", "ß", 7);
      w.write(TEXT.toCharArray(), 2, 5);
      w.write('é');
      w.append("ü", 0, 1);
      w.flush(); // committed, chunked
      w.print(TEXT.repeat(300));
    }
  }

  private static final class Fixed extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      byte[] body = "fixed body".getBytes(StandardCharsets.UTF_8);
      resp.setContentLength(body.length);
      resp.getOutputStream().write(body);
    }
  }

  /** Writes, discards it with resetBuffer() and reset(), then switches to the writer. */
  private static final class Reset extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.getOutputStream().write(new byte[100]);
      resp.resetBuffer();
      resp.getOutputStream().write(new byte[7]);
      resp.reset();
      resp.setCharacterEncoding("UTF-8");
      resp.getWriter().print("kept ✓");
    }
  }

  /** Async, written on another thread through the response the filter passed down. */
  private final class AsyncThroughFilterResponse extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync(req, resp);
      worker.execute(() -> {
        try {
          ServletOutputStream out = resp.getOutputStream();
          out.write(new byte[3000]);
          out.flush();
          out.write(new byte[17]);
        } catch (IOException e) {
          throw new RuntimeException(e);
        } finally {
          async.complete();
        }
      });
    }
  }

  /** Async through {@code AsyncContext.getResponse()}: the container's original response. */
  private final class AsyncThroughOriginal extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      AsyncContext async = req.startAsync();
      worker.execute(() -> {
        try {
          byte[] body = "async original".getBytes(StandardCharsets.UTF_8);
          async.getResponse().setContentLength(body.length);
          async.getResponse().getOutputStream().write(body);
        } catch (IOException e) {
          throw new RuntimeException(e);
        } finally {
          async.complete();
        }
      });
    }
  }

  private HttpResponse<byte[]> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The recorded size sum and the access line's response_bytes for one route. */
  private void assertRecorded(String route, long bytes) {
    await(route + " recorded", () -> sum(Scrapes.text(kit.metricsPort()),
        HttpNames.SERVER_RESPONSE_BODY_SIZE + "_count", "http_route=" + route) == 1);
    assertThat(sum(Scrapes.text(kit.metricsPort()), HttpNames.SERVER_RESPONSE_BODY_SIZE + "_sum",
        "http_route=" + route)).as(route).isEqualTo(bytes);
    await(route + " logged", () -> accessLine(route) != null);
    assertThat(accessLine(route)).as(route + " access line").isEqualTo(bytes);
  }

  private Object accessLine(String route) {
    for (ILoggingEvent e : List.copyOf(lines.list)) {
      Object r = null;
      Object size = null;
      for (KeyValuePair kv : e.getKeyValuePairs()) {
        if (kv.key.equals("http_route")) {
          r = kv.value;
        } else if (kv.key.equals("response_bytes")) {
          size = kv.value;
        }
      }
      if (route.equals(r)) {
        return size;
      }
    }
    return null;
  }

  @Test
  void aChunkedStreamResponseIsCountedAsWritten() throws Exception {
    HttpResponse<byte[]> r = get("/chunked");
    assertThat(r.headers().firstValue("Content-Length")).isEmpty();
    assertThat(r.body()).hasSize(5005);
    assertRecorded("/chunked", 5005);
  }

  @Test
  void writerTextIsCountedInTheBytesOfItsEncoding() throws Exception {
    HttpResponse<byte[]> utf8 = get("/utf8");
    assertThat(utf8.headers().firstValue("Content-Length")).isEmpty();
    String text = new String(utf8.body(), StandardCharsets.UTF_8);
    assertThat(text).startsWith(TEXT + "42").contains("ß|7").endsWith(TEXT);
    assertThat(utf8.body().length).isGreaterThan(text.length()); // multi-byte characters
    assertRecorded("/utf8", utf8.body().length);

    HttpResponse<byte[]> latin1 = get("/latin1");
    assertThat(latin1.body().length).isNotEqualTo(utf8.body().length);
    assertRecorded("/latin1", latin1.body().length);
  }

  @Test
  void aContentLengthResponseIsCounted() throws Exception {
    HttpResponse<byte[]> r = get("/fixed");
    assertThat(r.headers().firstValue("Content-Length")).hasValue("10");
    assertRecorded("/fixed", 10);
  }

  @Test
  void bytesDiscardedByAResetAreNotCounted() throws Exception {
    HttpResponse<byte[]> r = get("/reset");
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo("kept ✓");
    assertRecorded("/reset", r.body().length);
  }

  @Test
  void asyncResponsesAreCountedThroughTheFilterResponseElseByContentLength() throws Exception {
    HttpResponse<byte[]> wrapped = get("/async-wrapped");
    assertThat(wrapped.body()).hasSize(3017);
    assertRecorded("/async-wrapped", 3017);

    HttpResponse<byte[]> original = get("/async-original");
    assertThat(new String(original.body(), StandardCharsets.UTF_8)).isEqualTo("async original");
    assertRecorded("/async-original", original.body().length);
  }
}
