package dev.telemetrykit.http;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * The response the servlet filter passes down the chain: it counts the body bytes written
 * through {@link #getOutputStream()} and {@link #getWriter()}, so that chunked responses (no
 * {@code Content-Length}) get a body size too, like the JDK filter's. Writer characters are
 * counted as the bytes they encode to in the response's character encoding (exactly for UTF-8
 * and single-byte encodings). Every call reaches the container's response unchanged; the
 * container's own stream and writer do the writing, buffering and flushing.
 */
final class CountingServletResponse extends HttpServletResponseWrapper {

  private Stream stream;
  private Chars chars;
  private CountingWriter writer;
  /** Bytes of a stream or writer dropped by {@link #reset()} after the response committed. */
  private long before;

  CountingServletResponse(HttpServletResponse response) {
    super(response);
  }

  /** Whether the application asked this response for its stream or writer. */
  boolean used() {
    return stream != null || chars != null || before > 0;
  }

  /** The body bytes written through this response so far. */
  long bytes() {
    return before + (stream == null ? 0 : stream.count) + (chars == null ? 0 : chars.count);
  }

  @Override
  public ServletOutputStream getOutputStream() throws IOException {
    ServletOutputStream out = super.getOutputStream();
    Stream s = stream;
    if (s == null || s.out != out) {
      s = new Stream(out);
      if (stream != null) {
        before += stream.count;
      }
      stream = s;
    }
    return s;
  }

  @Override
  public PrintWriter getWriter() throws IOException {
    PrintWriter out = super.getWriter();
    CountingWriter w = writer;
    if (w == null || w.container != out) {
      // read after getWriter(): that call fixes the encoding (Servlet spec)
      Chars c = new Chars(out, getCharacterEncoding());
      if (chars != null) {
        before += chars.count;
      }
      chars = c;
      w = writer = new CountingWriter(c, out);
    }
    return w;
  }

  /** The buffer is discarded: nothing written so far reaches the client. */
  @Override
  public void resetBuffer() {
    super.resetBuffer();
    before = 0;
    if (stream != null) {
      stream.count = 0;
    }
    if (chars != null) {
      chars.count = 0;
    }
  }

  /** As {@link #resetBuffer()}; the application may then pick the stream or the writer anew. */
  @Override
  public void reset() {
    super.reset();
    before = 0;
    stream = null;
    chars = null;
    writer = null;
  }

  /** The container's stream, counting. Not a {@code FilterOutputStream} (byte-wise arrays). */
  private static final class Stream extends ServletOutputStream {
    final ServletOutputStream out;
    long count;

    Stream(ServletOutputStream out) {
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

    @Override
    public boolean isReady() {
      return out.isReady();
    }

    @Override
    public void setWriteListener(WriteListener listener) {
      out.setWriteListener(listener);
    }
  }

  /**
   * Passes characters to the container's writer and counts the bytes they encode to: exact for
   * UTF-8; one byte per char for single-byte encodings (a char the encoding lacks is written as
   * one replacement byte, as Jetty does); other encodings are encoded once more to count them.
   * The container's {@link PrintWriter} never throws (it keeps an error flag instead).
   */
  private static final class Chars extends Writer {
    private static final int UTF_8 = 0;
    private static final int SINGLE_BYTE = 1;
    private static final int OTHER = 2;

    final PrintWriter out;
    private final Charset charset;
    private final int kind;
    long count;
    /** A high surrogate ended the previous write; its pair may start the next. */
    private boolean pendingHigh;

    Chars(PrintWriter out, String encoding) {
      super(out);
      this.out = out;
      Charset cs = StandardCharsets.ISO_8859_1; // the Servlet default
      try {
        if (encoding != null) {
          cs = Charset.forName(encoding);
        }
      } catch (RuntimeException e) {
        // the container accepted it, so it writes with something: count one byte per char
      }
      this.charset = cs;
      this.kind = cs.equals(StandardCharsets.UTF_8) ? UTF_8
          : cs.canEncode() && cs.newEncoder().maxBytesPerChar() == 1f ? SINGLE_BYTE : OTHER;
    }

    /** UTF-8 bytes of one char; a surrogate pair is one 4-byte code point. */
    private void utf8(char c) {
      if (pendingHigh) {
        pendingHigh = false;
        if (Character.isLowSurrogate(c)) {
          count += 4;
          return;
        }
        count++; // a lone high surrogate is encoded as one replacement byte
      }
      if (c < 0x80) {
        count++;
      } else if (c < 0x800) {
        count += 2;
      } else if (Character.isHighSurrogate(c)) {
        pendingHigh = true;
      } else {
        count += Character.isLowSurrogate(c) ? 1 : 3;
      }
    }

    @Override
    public void write(int c) {
      out.write(c);
      if (kind == UTF_8) {
        utf8((char) c);
      } else if (kind == SINGLE_BYTE) {
        count++;
      } else {
        count += String.valueOf((char) c).getBytes(charset).length;
      }
    }

    @Override
    public void write(char[] buf, int off, int len) {
      out.write(buf, off, len);
      if (kind == UTF_8) {
        for (int i = off, end = off + len; i < end; i++) {
          utf8(buf[i]);
        }
      } else if (kind == SINGLE_BYTE) {
        count += len;
      } else {
        count += new String(buf, off, len).getBytes(charset).length;
      }
    }

    @Override
    public void write(String s, int off, int len) {
      out.write(s, off, len);
      if (kind == UTF_8) {
        for (int i = off, end = off + len; i < end; i++) {
          utf8(s.charAt(i));
        }
      } else if (kind == SINGLE_BYTE) {
        count += len;
      } else {
        count += s.substring(off, off + len).getBytes(charset).length;
      }
    }

    @Override
    public void flush() {
      out.flush();
    }

    @Override
    public void close() {
      out.close();
    }
  }

  /**
   * The writer handed to the application: every {@link PrintWriter} method ends in a write on
   * {@link Chars}; errors are the container writer's.
   */
  private static final class CountingWriter extends PrintWriter {
    final PrintWriter container;

    CountingWriter(Chars chars, PrintWriter container) {
      super(chars, false);
      this.container = container;
    }

    @Override
    public boolean checkError() {
      return super.checkError() || container.checkError();
    }
  }
}
