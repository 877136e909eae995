package dev.telemetrykit.samples.orders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol with the JDK's
 * WebSocket client: navigate, evaluate JavaScript, record every request the page makes, answer
 * basic-auth challenges, take a PNG screenshot. A fresh profile per instance; background
 * networking, sync and component updates are off, so the only traffic is the page's own.
 */
final class HeadlessChromium implements AutoCloseable {

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Every URL the page requested (Network.requestWillBeSent), in order. */
  final List<String> requestedUrls = new CopyOnWriteArrayList<>();
  /** Status of every response the page received, by URL (last one wins). */
  final Map<String, Integer> statusByUrl = new ConcurrentHashMap<>();
  /** Console messages, log entries (CSP violations land here) and uncaught exceptions. */
  final List<String> problems = new CopyOnWriteArrayList<>();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

  private HeadlessChromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** Starts Chromium on a fresh profile under {@code dir}, window 1280×800. */
  static HeadlessChromium start(Path dir) throws Exception {
    Path profile = Files.createDirectories(dir.resolve("chromium-profile"));
    List<String> command = List.of(executable(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps",
        "--disable-extensions", "--hide-scrollbars", "--window-size=1280,800",
        "--user-data-dir=" + profile, "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0", "about:blank");
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("chromium.log").toFile()).start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      for (int i = 0; i < 300 && !Files.exists(portFile); i++) {
        if (!process.isAlive()) {
          throw new AssertionError("chromium exited with " + process.exitValue() + ":\n"
              + Files.readString(dir.resolve("chromium.log")));
        }
        Thread.sleep(100);
      }
      String port = Files.readAllLines(portFile).get(0).trim();
      HttpClient http = HttpClient.newHttpClient();
      String pageSocket = null;
      for (int i = 0; i < 100 && pageSocket == null; i++) {
        String list = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + port + "/json/list")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (JsonNode target : Json.MAPPER.readTree(list)) {
          if ("page".equals(target.path("type").asText())) {
            pageSocket = target.path("webSocketDebuggerUrl").asText();
          }
        }
        if (pageSocket == null) {
          Thread.sleep(100);
        }
      }
      if (pageSocket == null) {
        throw new AssertionError("chromium opened no page target");
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket ws = http.newWebSocketBuilder().connectTimeout(CALL_TIMEOUT)
          .buildAsync(URI.create(pageSocket), new Listener(self)).get(30, TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(process, ws);
      self[0].enable();
      return self[0];
    } catch (Exception | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private void enable() throws Exception {
    listeners.add(event -> {
      String method = event.path("method").asText();
      JsonNode params = event.path("params");
      switch (method) {
        case "Network.requestWillBeSent":
          requestedUrls.add(params.path("request").path("url").asText());
          break;
        case "Network.responseReceived":
          statusByUrl.put(params.path("response").path("url").asText(),
              params.path("response").path("status").asInt());
          break;
        case "Log.entryAdded":
          problems.add("log " + params.path("entry").path("level").asText() + ": "
              + params.path("entry").path("text").asText() + " ("
              + params.path("entry").path("url").asText() + ")");
          break;
        case "Runtime.exceptionThrown":
          problems.add("exception: " + params.path("exceptionDetails").toString());
          break;
        case "Runtime.consoleAPICalled":
          if (!"log".equals(params.path("type").asText())) {
            problems.add("console " + params.path("type").asText() + ": " + params.path("args"));
          }
          break;
        default:
          break;
      }
    });
    call("Network.enable", Json.MAPPER.createObjectNode());
    call("Page.enable", Json.MAPPER.createObjectNode());
    call("Log.enable", Json.MAPPER.createObjectNode());
    call("Runtime.enable", Json.MAPPER.createObjectNode());
    // A 1280×800 viewport exactly (the window size includes no browser chrome only sometimes).
    call("Emulation.setDeviceMetricsOverride", Json.MAPPER.createObjectNode().put("width", 1280)
        .put("height", 800).put("deviceScaleFactor", 1).put("mobile", false));
  }

  /**
   * Answers the server's basic-auth challenge with these credentials from now on, as a user
   * typing them into the browser's prompt would; the browser then reuses them for the page's
   * own requests to the same origin.
   */
  void answerBasicAuth(String username, String password) throws Exception {
    listeners.add(event -> {
      String method = event.path("method").asText();
      JsonNode params = event.path("params");
      String requestId = params.path("requestId").asText();
      if ("Fetch.requestPaused".equals(method)) {
        send("Fetch.continueRequest", Json.MAPPER.createObjectNode().put("requestId", requestId));
      } else if ("Fetch.authRequired".equals(method)) {
        ObjectNode p = Json.MAPPER.createObjectNode().put("requestId", requestId);
        p.putObject("authChallengeResponse").put("response", "ProvideCredentials")
            .put("username", username).put("password", password);
        send("Fetch.continueWithAuth", p);
      }
    });
    ObjectNode p = Json.MAPPER.createObjectNode().put("handleAuthRequests", true);
    p.putArray("patterns").addObject().put("urlPattern", "*");
    call("Fetch.enable", p);
  }

  /** Navigates and waits for the load event's answer to the navigate call. */
  void navigate(String url) throws Exception {
    call("Page.navigate", Json.MAPPER.createObjectNode().put("url", url));
  }

  /** Evaluates an expression in the page; returns its value (by value, as JSON). */
  JsonNode evaluate(String expression) throws Exception {
    JsonNode result = call("Runtime.evaluate", Json.MAPPER.createObjectNode()
        .put("expression", expression).put("returnByValue", true));
    if (result.has("exceptionDetails")) {
      throw new AssertionError("evaluating " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** A PNG of the viewport. */
  void screenshot(Path file) throws Exception {
    JsonNode result = call("Page.captureScreenshot", Json.MAPPER.createObjectNode()
        .put("format", "png"));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
  }

  /** A PNG of the whole page, beyond the 800-pixel viewport. */
  void fullPageScreenshot(Path file) throws Exception {
    ObjectNode p = Json.MAPPER.createObjectNode().put("format", "png")
        .put("captureBeyondViewport", true);
    JsonNode metrics = call("Page.getLayoutMetrics", Json.MAPPER.createObjectNode());
    p.putObject("clip").put("x", 0).put("y", 0).put("scale", 1)
        .put("width", metrics.path("cssContentSize").path("width").asDouble())
        .put("height", metrics.path("cssContentSize").path("height").asDouble());
    JsonNode result = call("Page.captureScreenshot", p);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(result.path("data").asText()));
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    sendWithId(id, method, params);
    JsonNode response = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    if (response.has("error")) {
      throw new AssertionError(method + " failed: " + response.get("error"));
    }
    return response.path("result");
  }

  /** Fire and forget, for answers sent from the event thread (which must not block). */
  private void send(String method, ObjectNode params) {
    sendWithId(ids.incrementAndGet(), method, params);
  }

  private synchronized void sendWithId(int id, String method, ObjectNode params) {
    ObjectNode message = Json.MAPPER.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    // The JDK WebSocket allows one outstanding send; join keeps sends in order.
    socket.sendText(message.toString(), true).join();
  }

  private void onMessage(String text) {
    try {
      JsonNode message = Json.MAPPER.readTree(text);
      if (message.has("id")) {
        CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
        if (answer != null) {
          answer.complete(message);
        }
      } else {
        for (Consumer<JsonNode> listener : listeners) {
          listener.accept(message);
        }
      }
    } catch (IOException e) {
      problems.add("unreadable DevTools message: " + e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Chromium's path; a missing browser fails the test (CI installs it, never skips). */
  static String executable() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      for (String name : List.of("chromium", "chromium-browser")) {
        java.io.File f = new java.io.File(dir, name);
        if (f.canExecute()) {
          return f.getPath();
        }
      }
    }
    throw new AssertionError("chromium is not installed; run: apt-get install -y chromium"
        + " (.ci/run does this)");
  }

  private static final class Listener implements WebSocket.Listener {
    private final HeadlessChromium[] owner;
    private final StringBuilder partial = new StringBuilder();
    private final List<String> early = new ArrayList<>();

    Listener(HeadlessChromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (owner[0] == null) {
          early.add(text);
        } else {
          early.forEach(owner[0]::onMessage);
          early.clear();
          owner[0].onMessage(text);
        }
      }
      webSocket.request(1);
      return null;
    }
  }
}
