package dev.telemetrykit.core.internal;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpPrincipal;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server for the metrics port that a hostile or broken client cannot stall.
 *
 * <p>Why not the JDK {@code HttpServer} that client_java's {@code HTTPServer} wraps: it reads
 * request headers on a worker thread with no deadline, so ten clients that send half a header
 * hold every worker; its only timeouts ({@code sun.net.httpserver.maxReqTime} etc.) are system
 * properties read once per process, which would also change the host application's own JDK
 * server. Here one selector thread does all network I/O, non-blocking: it accepts, reads each
 * request (header and body) into a bounded per-connection buffer under a deadline, and writes
 * the buffered response under a deadline. Worker threads only run handlers on complete,
 * in-memory requests, so a slow client costs a connection slot and a buffer, never a thread.
 *
 * <p>Handlers are ordinary {@link HttpHandler}s (client_java's {@code MetricsHandler} runs
 * unchanged); they see an {@link HttpExchange} whose response is buffered and sent with a
 * {@code Content-Length} when the handler returns.
 *
 * <p>Limits, each breach counted through {@link Rejections}: a request must arrive complete
 * within the request timeout ({@code timeout}); header plus body at most
 * {@link #MAX_REQUEST_BYTES} (431 or 413, {@code too_large}); at most {@code maxConnections}
 * open (an idle keep-alive connection is closed to make room, else the new one is closed,
 * {@code overloaded}); a full worker queue answers 503 ({@code overloaded}). Idle keep-alive
 * connections close after the idle timeout.
 */
public final class GuardedHttpServer implements AutoCloseable {

  /** Cap on request header plus body; more is answered 431 (header) or 413 (body). */
  public static final int MAX_REQUEST_BYTES = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(GuardedHttpServer.class);
  private static final long ACCEPT_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final int BACKLOG = 128;
  private static final int QUEUE = 64;

  /** Receives each refused or cut connection; never throws. */
  public interface Rejections {
    /** One rejection; {@code reason} is {@code timeout}, {@code too_large} or {@code overloaded}. */
    void rejected(String reason);
  }

  /** A path prefix and what serves it. */
  public static final class Route {
    final String path;
    final HttpHandler handler;
    final Authenticator authenticator;

    /**
     * @param path exact path, also matching {@code path + "/..."}; {@code "/"} matches all
     * @param authenticator null for an open route
     */
    public Route(String path, HttpHandler handler, Authenticator authenticator) {
      this.path = Objects.requireNonNull(path, "path");
      this.handler = Objects.requireNonNull(handler, "handler");
      this.authenticator = authenticator;
    }

    boolean matches(String requestPath) {
      return path.equals("/") || requestPath.equals(path)
          || requestPath.startsWith(path.endsWith("/") ? path : path + "/");
    }
  }

  /** Tuning; all durations positive. */
  public static final class Limits {
    final long timeoutNanos;
    final long idleNanos;
    final int maxConnections;
    final int threads;

    /**
     * @param timeout time a client has to send a whole request, and to take the response
     * @param idle time an idle keep-alive connection stays open
     */
    public Limits(Duration timeout, Duration idle, int maxConnections, int threads) {
      this.timeoutNanos = timeout.toNanos();
      this.idleNanos = idle.toNanos();
      this.maxConnections = maxConnections;
      this.threads = threads;
    }
  }

  private enum State { FRESH, IDLE, HEAD, BODY, HANDLING, WRITING }

  private final ServerSocketChannel serverChannel;
  private final Selector selector;
  private final List<Route> routes;
  private final Limits limits;
  private final Rejections rejections;
  private final SSLContext sslContext;
  private final ThreadPoolExecutor workers;
  private final ConcurrentLinkedQueue<Runnable> loopTasks = new ConcurrentLinkedQueue<>();
  private final Thread loop;
  private final InetSocketAddress bound;
  private volatile boolean running = true;
  private int open;
  private boolean acceptPaused;
  /**
   * The earliest deadline of an open connection, when {@link #deadlineSet} (loop thread only):
   * the loop sleeps until then, so a port with no connection to time out makes no wake-ups at
   * all (a fixed 100 ms tick cost every idle service about 1 ms of CPU a second). Every deadline
   * is set through {@link #deadline(Conn, long)}, which moves this one earlier when due first; a
   * connection whose deadline moved later, or that closed, only makes the loop wake early to
   * find nothing due, and the sweep then finds the next one.
   */
  private long nextDeadline;
  private boolean deadlineSet;
  /** Times the loop has returned from {@code select}; read by tests. */
  private volatile long wakeups;

  private GuardedHttpServer(ServerSocketChannel serverChannel, Selector selector,
      List<Route> routes, Limits limits, Rejections rejections, SSLContext sslContext) {
    this.serverChannel = serverChannel;
    this.selector = selector;
    this.routes = List.copyOf(routes);
    this.limits = limits;
    this.rejections = rejections;
    this.sslContext = sslContext;
    this.bound = (InetSocketAddress) serverChannel.socket().getLocalSocketAddress();
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(limits.threads, limits.threads, 30, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(QUEUE), r -> {
          Thread t = new Thread(r, "telemetrykit-metrics-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    this.loop = new Thread(this::run, "telemetrykit-metrics-io");
    this.loop.setDaemon(true);
  }

  /**
   * Binds and starts serving.
   *
   * @param routes first match wins, so list longer paths first
   * @param sslContext null for plain HTTP
   * @throws IOException if the address cannot be bound
   */
  public static GuardedHttpServer start(InetSocketAddress address, List<Route> routes,
      Limits limits, Rejections rejections, SSLContext sslContext) throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    Selector selector = null;
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.bind(address, BACKLOG);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
    GuardedHttpServer server =
        new GuardedHttpServer(channel, selector, routes, limits, rejections, sslContext);
    server.loop.start();
    return server;
  }

  /** Times the I/O loop has woken from {@code select} so far: for tests. */
  long wakeups() {
    return wakeups;
  }

  /** The bound port. */
  public int port() {
    return bound.getPort();
  }

  /** Stops accepting, closes every connection, and stops the workers. */
  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      loop.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }

  // ---- the I/O loop: the only thread touching channels, keys and Conn state ----

  private void run() {
    long pausedAt = 0;
    try {
      while (running) {
        long waitMillis = waitMillis(System.nanoTime());
        if (waitMillis == 0) {
          selector.select();
        } else {
          selector.select(waitMillis);
        }
        wakeups++;
        Runnable task;
        while ((task = loopTasks.poll()) != null) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          try {
            if (!key.isValid()) {
              continue;
            }
            if (key.isAcceptable()) {
              accept();
            } else {
              Conn c = (Conn) key.attachment();
              if (key.isReadable()) {
                c.onReadable();
              }
              if (key.isValid() && key.isWritable()) {
                c.onWritable();
              }
            }
          } catch (IOException | RuntimeException e) {
            Object a = key.attachment();
            if (a instanceof Conn) {
              ((Conn) a).close();
            } else if (key.isValid()) {
              // Typically out of file descriptors: pause accepting instead of spinning on a
              // listen socket that stays ready; accepting resumes after ACCEPT_PAUSE_NANOS.
              LOG.debug("Metrics server accept failed; pausing accepts briefly", e);
              key.interestOps(0);
              acceptPaused = true;
              pausedAt = System.nanoTime();
            }
          }
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        if (deadlineSet && now - nextDeadline >= 0) {
          sweep(now);
        }
        if (acceptPaused && now - pausedAt >= ACCEPT_PAUSE_NANOS) {
          acceptPaused = false;
          serverChannel.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (running) {
        LOG.warn("TelemetryKit metrics server stopped serving", e);
      }
    } finally {
      for (SelectionKey key : selector.keys()) {
        if (key.attachment() instanceof Conn) {
          ((Conn) key.attachment()).close();
        }
      }
      closeQuietly(serverChannel);
      closeQuietly(selector);
    }
  }

  /**
   * How long the loop may block in {@code select}: until the earliest deadline (at least 1 ms),
   * at most {@link #ACCEPT_PAUSE_NANOS} while accepting is paused, or {@code 0} (no limit) when
   * no connection has a deadline to enforce.
   */
  private long waitMillis(long now) {
    long wait = acceptPaused ? ACCEPT_PAUSE_NANOS : Long.MAX_VALUE;
    if (deadlineSet) {
      wait = Math.min(wait, Math.max(0, nextDeadline - now));
    }
    return wait == Long.MAX_VALUE ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait) + 1);
  }

  /** Sets a connection's deadline {@code nanos} from now and wakes the loop for it in time. */
  private void deadline(Conn c, long nanos) {
    long deadline = System.nanoTime() + nanos;
    c.deadline = deadline;
    if (!deadlineSet || deadline - nextDeadline < 0) {
      nextDeadline = deadline;
      deadlineSet = true;
    }
  }

  private void accept() throws IOException {
    SocketChannel ch;
    while ((ch = serverChannel.accept()) != null) {
      if (open >= limits.maxConnections && !evictIdle()) {
        closeQuietly(ch);
        rejections.rejected("overloaded");
        continue;
      }
      try {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        Conn c = new Conn(ch);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
        open++;
        deadline(c, limits.timeoutNanos);
      } catch (IOException | RuntimeException e) {
        closeQuietly(ch);
      }
    }
  }

  /** Closes the longest-idle keep-alive connection, so idle clients cannot hold all slots. */
  private boolean evictIdle() {
    Conn oldest = null;
    for (SelectionKey key : selector.keys()) {
      if (key.attachment() instanceof Conn) {
        Conn c = (Conn) key.attachment();
        if (c.state == State.IDLE && (oldest == null || c.deadline < oldest.deadline)) {
          oldest = c;
        }
      }
    }
    if (oldest == null) {
      return false;
    }
    oldest.close();
    return true;
  }

  /** Closes the connections past their deadline and finds the next deadline among the rest. */
  private void sweep(long now) {
    deadlineSet = false;
    for (SelectionKey key : new ArrayList<>(selector.keys())) {
      if (key.attachment() instanceof Conn) {
        Conn c = (Conn) key.attachment();
        // A handled request's deadline is set anew when its response is queued (startWrite).
        if (c.state == State.HANDLING) {
          continue;
        }
        if (now - c.deadline > 0) {
          if (c.state != State.IDLE) {
            rejections.rejected("timeout");
          }
          c.close();
        } else if (!deadlineSet || c.deadline - nextDeadline < 0) {
          nextDeadline = c.deadline;
          deadlineSet = true;
        }
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // Nothing to do: the peer is gone or the channel is already closed.
    }
  }

  /** One client connection; touched only by the I/O loop (the worker gets a copy). */
  private final class Conn {
    final SocketChannel channel;
    final Transport transport;
    final ByteBuffer in = ByteBuffer.allocate(MAX_REQUEST_BYTES);
    SelectionKey key;
    State state = State.FRESH;
    long deadline;
    int headEnd;
    int bodyLength;
    Request request;
    ByteBuffer out;
    boolean closeAfterWrite;
    boolean closed;

    Conn(SocketChannel channel) throws IOException {
      this.channel = channel;
      this.transport = sslContext == null ? new PlainTransport(channel)
          : new TlsTransport(channel, sslContext.createSSLEngine());
    }

    void onReadable() throws IOException {
      if (state == State.HANDLING || state == State.WRITING) {
        return;
      }
      int n = transport.read(in);
      if (n < 0) {
        close();
        return;
      }
      if (state == State.IDLE && in.position() > 0) {
        state = State.HEAD;
        deadline(this, limits.timeoutNanos);
      }
      if (in.position() > 0 && state == State.FRESH) {
        state = State.HEAD;
      }
      process();
      transport.flushPending(this);
    }

    void onWritable() throws IOException {
      if (state == State.WRITING) {
        writeMore();
      } else {
        // TLS handshake bytes were waiting; reading may now progress too.
        onReadable();
      }
    }

    /** Parses what is buffered; dispatches a complete request. */
    void process() {
      if (state == State.HEAD) {
        int end = headerEnd(in);
        if (end < 0) {
          if (!in.hasRemaining()) {
            rejections.rejected("too_large");
            respondAndClose(431, "Request header too large");
          }
          return;
        }
        Request r;
        try {
          r = Request.parse(in.array(), end);
        } catch (IllegalArgumentException e) {
          respondAndClose(400, "Bad request");
          return;
        }
        if (r.unsupportedBody) {
          respondAndClose(501, "Transfer-Encoding not supported");
          return;
        }
        headEnd = end + 4;
        if (r.contentLength > MAX_REQUEST_BYTES - headEnd) {
          rejections.rejected("too_large");
          respondAndClose(413, "Request body too large");
          return;
        }
        bodyLength = (int) r.contentLength;
        request = r;
        state = State.BODY;
      }
      if (state == State.BODY && in.position() >= headEnd + bodyLength) {
        dispatch();
      }
    }

    void dispatch() {
      Request r = request;
      r.body = new byte[bodyLength];
      System.arraycopy(in.array(), headEnd, r.body, 0, bodyLength);
      // Keep pipelined bytes for the next request.
      int used = headEnd + bodyLength;
      int rest = in.position() - used;
      System.arraycopy(in.array(), used, in.array(), 0, rest);
      in.position(rest);
      request = null;
      state = State.HANDLING;
      key.interestOps(0);
      InetSocketAddress remote;
      try {
        remote = (InetSocketAddress) channel.getRemoteAddress();
      } catch (IOException e) {
        close();
        return;
      }
      try {
        workers.execute(() -> {
          ByteBuffer response = handle(r, remote);
          loopTasks.add(() -> startWrite(response, !r.keepAlive));
          selector.wakeup();
        });
      } catch (RejectedExecutionException e) {
        rejections.rejected("overloaded");
        respondAndClose(503, "Overloaded, try again");
      }
    }

    void respondAndClose(int code, String message) {
      startWrite(simpleResponse(code, message), true);
    }

    void startWrite(ByteBuffer response, boolean close) {
      if (closed) {
        return;
      }
      out = response;
      closeAfterWrite = close;
      state = State.WRITING;
      deadline(this, limits.timeoutNanos);
      try {
        writeMore();
      } catch (IOException | RuntimeException e) {
        close();
      }
    }

    void writeMore() throws IOException {
      if (!transport.write(out)) {
        key.interestOps(SelectionKey.OP_WRITE);
        return;
      }
      out = null;
      if (closeAfterWrite) {
        close();
        return;
      }
      state = in.position() > 0 ? State.HEAD : State.IDLE;
      deadline(this, state == State.IDLE ? limits.idleNanos : limits.timeoutNanos);
      key.interestOps(SelectionKey.OP_READ);
      if (transport.hasBuffered()) {
        onReadable();
      } else {
        process();
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      open--;
      if (key != null) {
        key.cancel();
      }
      closeQuietly(channel);
    }
  }

  private static int headerEnd(ByteBuffer in) {
    byte[] a = in.array();
    for (int i = 0, n = in.position() - 3; i < n; i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  // ---- requests and handlers, on worker threads ----

  /** A parsed request; immutable once dispatched. */
  static final class Request {
    String method;
    String target;
    String protocol;
    final Headers headers = new Headers();
    long contentLength;
    boolean keepAlive;
    boolean unsupportedBody;
    byte[] body;

    static Request parse(byte[] buf, int end) {
      String head = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
      String[] lines = head.split("\r\n");
      String[] first = lines[0].split(" ");
      if (first.length != 3 || !first[2].startsWith("HTTP/1.")) {
        throw new IllegalArgumentException("request line");
      }
      Request r = new Request();
      r.method = first[0];
      r.target = first[1];
      r.protocol = first[2];
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon <= 0) {
          throw new IllegalArgumentException("header");
        }
        r.headers.add(lines[i].substring(0, colon).trim(), lines[i].substring(colon + 1).trim());
      }
      String length = r.headers.getFirst("Content-Length");
      try {
        r.contentLength = length == null ? 0 : Long.parseLong(length);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("content-length");
      }
      if (r.contentLength < 0) {
        throw new IllegalArgumentException("content-length");
      }
      r.unsupportedBody = r.headers.containsKey("Transfer-Encoding");
      String connection = r.headers.getFirst("Connection");
      String c = connection == null ? "" : connection.toLowerCase(Locale.ROOT);
      r.keepAlive = r.protocol.equals("HTTP/1.1") ? !c.contains("close") : c.contains("keep-alive");
      return r;
    }
  }

  private ByteBuffer handle(Request r, InetSocketAddress remote) {
    Exchange ex;
    try {
      ex = new Exchange(r, remote, bound);
    } catch (IllegalArgumentException badUri) {
      return simpleResponse(400, "Bad request target");
    }
    String path = ex.uri.getPath() == null ? "/" : ex.uri.getPath();
    Route route = null;
    for (Route candidate : routes) {
      if (candidate.matches(path)) {
        route = candidate;
        break;
      }
    }
    try {
      if (route == null) {
        return simpleResponse(404, "Not found");
      }
      ex.context = new Context(route);
      if (route.authenticator != null) {
        Authenticator.Result result = route.authenticator.authenticate(ex);
        if (result instanceof Authenticator.Success) {
          ex.principal = ((Authenticator.Success) result).getPrincipal();
        } else {
          int code = result instanceof Authenticator.Failure
              ? ((Authenticator.Failure) result).getResponseCode()
              : ((Authenticator.Retry) result).getResponseCode();
          ex.sendResponseHeaders(code, -1);
          return ex.toBytes(r.method);
        }
      }
      route.handler.handle(ex);
      if (ex.code < 0) {
        return simpleResponse(500, "No response");
      }
      return ex.toBytes(r.method);
    } catch (Throwable t) {
      LOG.warn("Metrics server handler for {} failed", path, t);
      return simpleResponse(500, "Internal error");
    }
  }

  static ByteBuffer simpleResponse(int code, String message) {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + code + " " + reason(code) + "\r\n"
        + "Content-Type: text/plain; charset=utf-8\r\n"
        + "Content-Length: " + body.length + "\r\n"
        + (code >= 400 && code != 401 && code != 404 ? "Connection: close\r\n" : "")
        + "\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(h.length + body.length);
    b.put(h).put(body).flip();
    return b;
  }

  private static String reason(int code) {
    switch (code) {
      case 200: return "OK";
      case 204: return "No Content";
      case 400: return "Bad Request";
      case 401: return "Unauthorized";
      case 403: return "Forbidden";
      case 404: return "Not Found";
      case 405: return "Method Not Allowed";
      case 413: return "Content Too Large";
      case 431: return "Request Header Fields Too Large";
      case 500: return "Internal Server Error";
      case 501: return "Not Implemented";
      case 503: return "Service Unavailable";
      default: return "Status";
    }
  }

  /** The {@link HttpExchange} handlers see: request in memory, response buffered. */
  private static final class Exchange extends HttpExchange {
    final Request request;
    final URI uri;
    final InetSocketAddress remote;
    final InetSocketAddress local;
    final Headers responseHeaders = new Headers();
    final Map<String, Object> attributes = new HashMap<>();
    final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    InputStream requestBody;
    OutputStream responseBody = buffer;
    Context context;
    HttpPrincipal principal;
    int code = -1;
    long declaredLength;

    Exchange(Request request, InetSocketAddress remote, InetSocketAddress local) {
      this.request = request;
      this.uri = URI.create(request.target);
      this.remote = remote;
      this.local = local;
      this.requestBody = new ByteArrayInputStream(request.body);
    }

    ByteBuffer toBytes(String method) {
      byte[] body = buffer.toByteArray();
      boolean noBody = declaredLength == -1 || code == 204 || code == 304 || code < 200;
      StringBuilder head = new StringBuilder(256);
      head.append("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
      for (Map.Entry<String, List<String>> e : responseHeaders.entrySet()) {
        if (e.getKey().equalsIgnoreCase("Content-Length")
            || e.getKey().equalsIgnoreCase("Transfer-Encoding")) {
          continue;
        }
        for (String v : e.getValue()) {
          head.append(e.getKey()).append(": ").append(v).append("\r\n");
        }
      }
      head.append("Content-Length: ").append(noBody ? 0 : body.length).append("\r\n");
      if (!request.keepAlive) {
        head.append("Connection: close\r\n");
      }
      head.append("\r\n");
      byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
      boolean sendBody = !noBody && !"HEAD".equals(method);
      ByteBuffer b = ByteBuffer.allocate(h.length + (sendBody ? body.length : 0));
      b.put(h);
      if (sendBody) {
        b.put(body);
      }
      b.flip();
      return b;
    }

    @Override
    public Headers getRequestHeaders() {
      return request.headers;
    }

    @Override
    public Headers getResponseHeaders() {
      return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
      return uri;
    }

    @Override
    public String getRequestMethod() {
      return request.method;
    }

    @Override
    public HttpContext getHttpContext() {
      return context;
    }

    @Override
    public void close() {
      try {
        responseBody.close();
      } catch (IOException ignored) {
        // Buffered in memory; nothing can fail that matters.
      }
    }

    @Override
    public InputStream getRequestBody() {
      return requestBody;
    }

    @Override
    public OutputStream getResponseBody() {
      return responseBody;
    }

    @Override
    public void sendResponseHeaders(int rCode, long responseLength) throws IOException {
      if (code >= 0) {
        throw new IOException("headers already sent");
      }
      code = rCode;
      declaredLength = responseLength;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
      return remote;
    }

    @Override
    public int getResponseCode() {
      return code;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
      return local;
    }

    @Override
    public String getProtocol() {
      return request.protocol;
    }

    @Override
    public Object getAttribute(String name) {
      return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
      attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
      if (i != null) {
        requestBody = i;
      }
      if (o != null) {
        responseBody = o;
      }
    }

    @Override
    public HttpPrincipal getPrincipal() {
      return principal;
    }
  }

  /** The route as an {@link HttpContext}, for handlers that ask. */
  private static final class Context extends HttpContext {
    private final Route route;
    private final Map<String, Object> attributes = new HashMap<>();

    Context(Route route) {
      this.route = route;
    }

    @Override
    public HttpHandler getHandler() {
      return route.handler;
    }

    @Override
    public void setHandler(HttpHandler handler) {
      throw new UnsupportedOperationException("routes are fixed at start");
    }

    @Override
    public String getPath() {
      return route.path;
    }

    @Override
    public HttpServer getServer() {
      return null;
    }

    @Override
    public Map<String, Object> getAttributes() {
      return attributes;
    }

    @Override
    public List<Filter> getFilters() {
      return List.of();
    }

    @Override
    public Authenticator setAuthenticator(Authenticator auth) {
      throw new UnsupportedOperationException("routes are fixed at start");
    }

    @Override
    public Authenticator getAuthenticator() {
      return route.authenticator;
    }
  }

  // ---- transports: plain and TLS, both non-blocking ----

  /** Non-blocking byte transport of one connection. */
  private interface Transport {
    /** Reads what is available into {@code dst}; -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes from {@code src}; true when everything (including TLS records) is on the wire. */
    boolean write(ByteBuffer src) throws IOException;

    /** True when decrypted bytes wait that {@link #read} has not delivered yet. */
    boolean hasBuffered();

    /** Sends handshake bytes still buffered; adjusts interest. */
    void flushPending(Conn c) throws IOException;
  }

  private static final class PlainTransport implements Transport {
    private final SocketChannel ch;

    PlainTransport(SocketChannel ch) {
      this.ch = ch;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      if (!dst.hasRemaining()) {
        return 0;
      }
      return ch.read(dst);
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
      ch.write(src);
      return !src.hasRemaining();
    }

    @Override
    public boolean hasBuffered() {
      return false;
    }

    @Override
    public void flushPending(Conn c) {
      // Nothing buffered.
    }
  }

  /** TLS over the non-blocking channel with an {@link SSLEngine}; delegated tasks run inline. */
  private static final class TlsTransport implements Transport {
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private final SocketChannel ch;
    private final SSLEngine engine;
    private final ByteBuffer netIn;
    private final ByteBuffer netOut;
    private final ByteBuffer appIn;
    private boolean eof;

    TlsTransport(SocketChannel ch, SSLEngine engine) throws IOException {
      this.ch = ch;
      this.engine = engine;
      engine.setUseClientMode(false);
      SSLSession session = engine.getSession();
      netIn = ByteBuffer.allocate(session.getPacketBufferSize());
      netOut = ByteBuffer.allocate(session.getPacketBufferSize());
      netOut.flip();
      appIn = ByteBuffer.allocate(session.getApplicationBufferSize());
      appIn.flip();
      engine.beginHandshake();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
      flushNet();
      if (!eof && netIn.hasRemaining() && ch.read(netIn) < 0) {
        eof = true;
      }
      progress();
      int k = Math.min(appIn.remaining(), dst.remaining());
      if (k > 0) {
        ByteBuffer slice = appIn.slice();
        slice.limit(k);
        dst.put(slice);
        appIn.position(appIn.position() + k);
      }
      return k == 0 && eof && !appIn.hasRemaining() ? -1 : k;
    }

    /** Runs the engine as far as the buffered network bytes allow. */
    private void progress() throws IOException {
      while (true) {
        SSLEngineResult.HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
          Runnable task;
          while ((task = engine.getDelegatedTask()) != null) {
            task.run();
          }
          continue;
        }
        if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
          if (!flushNet()) {
            return;
          }
          netOut.clear();
          SSLEngineResult r = engine.wrap(EMPTY, netOut);
          netOut.flip();
          if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
            eof = true;
            flushNet();
            return;
          }
          continue;
        }
        netIn.flip();
        appIn.compact();
        SSLEngineResult r;
        try {
          r = engine.unwrap(netIn, appIn);
        } finally {
          netIn.compact();
          appIn.flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
          eof = true;
          return;
        }
        if (r.getStatus() != SSLEngineResult.Status.OK
            || (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK
                && r.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP)) {
          return;
        }
      }
    }

    private boolean flushNet() throws IOException {
      while (netOut.hasRemaining()) {
        if (ch.write(netOut) == 0) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean write(ByteBuffer src) throws IOException {
      if (!flushNet()) {
        return false;
      }
      while (src.hasRemaining()) {
        netOut.clear();
        SSLEngineResult r = engine.wrap(src, netOut);
        netOut.flip();
        if (r.getStatus() != SSLEngineResult.Status.OK) {
          throw new IOException("TLS wrap: " + r.getStatus());
        }
        if (!flushNet()) {
          return false;
        }
      }
      return true;
    }

    @Override
    public boolean hasBuffered() {
      return appIn.hasRemaining();
    }

    @Override
    public void flushPending(Conn c) throws IOException {
      if (c.closed || c.state == State.WRITING || c.state == State.HANDLING) {
        return;
      }
      flushNet();
      c.key.interestOps(netOut.hasRemaining()
          ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }
  }
}
