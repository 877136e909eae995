package dev.telemetrykit.tracing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A collector that accepts connections on 127.0.0.1, reads every byte sent, and never answers:
 * an exporter talking to it stays stuck until its own timeout.
 */
final class BlackHole implements AutoCloseable {

  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final CountDownLatch firstBytes = new CountDownLatch(1);
  private final Thread acceptor;

  BlackHole() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    acceptor = new Thread(this::acceptLoop, "black-hole-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  int accepted() {
    return accepted.get();
  }

  long bytesReceived() {
    return bytes.get();
  }

  /** Waits (bounded: fails after 30 s) until an exporter has sent its first request bytes. */
  void awaitFirstRequest() throws InterruptedException {
    if (!firstBytes.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
      throw new AssertionError("No exporter request reached the black hole");
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        accepted.incrementAndGet();
        sockets.add(s);
        Thread reader = new Thread(() -> drain(s), "black-hole-read");
        reader.setDaemon(true);
        reader.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  private void drain(Socket s) {
    byte[] buf = new byte[8192];
    try (InputStream in = s.getInputStream()) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        bytes.addAndGet(n);
        firstBytes.countDown();
      }
    } catch (IOException closed) {
      // The exporter gave up or the test ended.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
