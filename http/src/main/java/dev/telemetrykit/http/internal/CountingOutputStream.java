package dev.telemetrykit.http.internal;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Counts the response body bytes as the handler writes them, so that chunked responses (no
 * {@code Content-Length}) get a body size too. Delegates every call unchanged; not a
 * {@code FilterOutputStream}, whose array write goes byte by byte.
 */
final class CountingOutputStream extends OutputStream {

  private final OutputStream out;
  long count;

  CountingOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    count++;
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    count += len;
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
