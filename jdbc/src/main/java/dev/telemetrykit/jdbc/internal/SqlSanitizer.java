package dev.telemetrykit.jdbc.internal;

/**
 * Replaces every string and number literal of a SQL statement by {@code ?} and drops comments,
 * so the text can go into span attributes ({@code db.query.text}) and log lines without
 * carrying values: {@code INSERT INTO cards VALUES ('4111 1111 1111 1111', 12)} becomes
 * {@code INSERT INTO cards VALUES (?, ?)}. Identifiers, keywords, parameters and
 * punctuation are kept. Linear in the length of the SQL (see {@link SqlLexer}).
 *
 * <p>Double-quoted text is treated as an identifier, as standard SQL, PostgreSQL, H2 and Oracle
 * define it; MySQL without {@code ANSI_QUOTES} reads it as a string, which this would keep.
 */
public final class SqlSanitizer {

  /** Longest sanitised text returned; longer statements are cut and end in {@code ...}. */
  public static final int MAX_LENGTH = 4096;

  private SqlSanitizer() {}

  /** The statement with literals replaced by {@code ?} and comments removed. */
  public static String sanitize(String sql) {
    SqlLexer lexer = new SqlLexer(sql);
    StringBuilder out = new StringBuilder(Math.min(sql.length(), MAX_LENGTH) + 8);
    int copiedTo = 0;
    boolean pendingSpace = false;
    while (lexer.next() != SqlLexer.END) {
      if (lexer.kind == SqlLexer.COMMENT) {
        out.append(sql, copiedTo, lexer.start);
        copiedTo = lexer.end;
        pendingSpace = true;
        continue;
      }
      if (pendingSpace && copiedTo == lexer.start && out.length() > 0
          && !Character.isWhitespace(out.charAt(out.length() - 1))) {
        out.append(' ');
      }
      pendingSpace = false;
      if (lexer.kind == SqlLexer.LITERAL) {
        out.append(sql, copiedTo, lexer.start).append('?');
        copiedTo = lexer.end;
      }
      if (out.length() + (lexer.end - copiedTo) > MAX_LENGTH) {
        break;
      }
    }
    if (lexer.kind == SqlLexer.END) {
      out.append(sql, copiedTo, lexer.start);
      return trimEnd(out);
    }
    // Cut at the last token boundary that fits: never in the middle of a literal.
    int room = MAX_LENGTH - out.length();
    if (room > 0 && lexer.kind != SqlLexer.LITERAL) {
      out.append(sql, copiedTo, Math.min(lexer.start, copiedTo + room));
    }
    return trimEnd(out) + "...";
  }

  private static String trimEnd(StringBuilder out) {
    int len = out.length();
    while (len > 0 && Character.isWhitespace(out.charAt(len - 1))) {
      len--;
    }
    out.setLength(len);
    return out.toString();
  }
}
