package dev.telemetrykit.jdbc;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A throw-away PostgreSQL server for one test class: {@code initdb} into a temporary
 * directory, {@code pg_ctl start} on a free loopback port, stopped and deleted after the class.
 * Uses the server binaries of the Debian {@code postgresql} package
 * ({@code /usr/lib/postgresql/<version>/bin}); when they are missing the test FAILS with the
 * install command — it never skips. {@code initdb} refuses to run as root, so as root every
 * server command runs as the {@code postgres} user through {@code runuser}.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresServer POSTGRES = new PostgresServer();
 * ... POSTGRES.jdbcUrl() ...
 * }</pre>
 */
final class PostgresServer implements BeforeAllCallback, AfterAllCallback {

  static final String INSTALL_HINT = "PostgreSQL server binaries (initdb, pg_ctl) were not found"
      + " under /usr/lib/postgresql/<version>/bin; install them: apt-get install -y postgresql"
      + " (.ci/run does this)";

  private Path dir;
  private Path data;
  private Path bin;
  private int port;
  private boolean asPostgresUser;
  private Thread cleanupHook;

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}; user {@code postgres}, no password. */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  int port() {
    return port;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    bin = findBinaries();
    asPostgresUser = "root".equals(System.getProperty("user.name"));
    dir = Files.createTempDirectory("telemetrykit-pg-");
    data = dir.resolve("data");
    if (asPostgresUser) {
      run(List.of("chown", "postgres:postgres", dir.toString()), false, 60);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres",
        "-A", "trust", "-E", "UTF8", "--no-sync"), true, 120);
    port = freePort();
    cleanupHook = new Thread(this::stopQuietly, "postgres-test-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanupHook);
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
        "-l", dir.resolve("server.log").toString(), "-w", "-t", "120",
        "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
            + " -c full_page_writes=off -c max_connections=20",
        "start"), true, 180);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stopQuietly();
    if (cleanupHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(cleanupHook);
      } catch (IllegalStateException ignored) {
        // JVM is shutting down; the hook runs anyway
      }
    }
  }

  private synchronized void stopQuietly() {
    if (dir == null) {
      return;
    }
    try {
      if (Files.exists(data.resolve("postmaster.pid"))) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate",
            "-w", "-t", "60", "stop"), true, 90);
      }
    } catch (RuntimeException e) {
      System.err.println("Could not stop the test PostgreSQL server: " + e);
    } finally {
      deleteRecursively(dir);
      dir = null;
    }
  }

  private static Path findBinaries() {
    File root = new File("/usr/lib/postgresql");
    String[] versions = root.list();
    if (versions != null) {
      Arrays.sort(versions, Comparator.comparingInt(PostgresServer::versionNumber).reversed());
      for (String v : versions) {
        Path candidate = root.toPath().resolve(v).resolve("bin");
        if (Files.isExecutable(candidate.resolve("initdb"))
            && Files.isExecutable(candidate.resolve("pg_ctl"))) {
          return candidate;
        }
      }
    }
    throw new AssertionError(INSTALL_HINT);
  }

  private static int versionNumber(String v) {
    try {
      return Integer.parseInt(v.replaceAll("[^0-9].*", ""));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private void run(List<String> command, boolean serverCommand, int timeoutSeconds) {
    List<String> full = new ArrayList<>();
    if (serverCommand && asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    try {
      Process p = new ProcessBuilder(full).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.PIPE).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("Timed out: " + full);
      }
      if (p.exitValue() != 0) {
        throw new AssertionError("Command failed (exit " + p.exitValue() + "): " + full + "\n"
            + new String(out, StandardCharsets.UTF_8) + serverLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + full, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private String serverLog() {
    Path log = dir == null ? null : dir.resolve("server.log");
    try {
      return log != null && Files.exists(log) ? "\nserver.log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a temp directory
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }
}
