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
    int copiedTo = 0; // sql[copiedTo, token start) is whitespace or verbatim tokens, no literal
    boolean afterComment = false;
    boolean truncated = false;
    while (lexer.next() != SqlLexer.END) {
      if (lexer.kind == SqlLexer.COMMENT) {
        out.append(sql, copiedTo, lexer.start);
        copiedTo = lexer.end;
        afterComment = true;
        continue;
      }
      boolean space = afterComment && copiedTo == lexer.start && out.length() > 0
          && !Character.isWhitespace(out.charAt(out.length() - 1));
      afterComment = false;
      boolean literal = lexer.kind == SqlLexer.LITERAL;
      int needed = out.length() + (space ? 1 : 0)
          + (literal ? lexer.start - copiedTo + 1 : lexer.end - copiedTo);
      if (needed > MAX_LENGTH) {
        truncated = true;
        break;
      }
      if (space) {
        out.append(' ');
      }
      if (literal) {
        out.append(sql, copiedTo, lexer.start).append('?');
        copiedTo = lexer.end;
      }
    }
    if (!truncated) {
      out.append(sql, copiedTo, sql.length());
      return trimEnd(out);
    }
    // Cut inside the verbatim text before the token that did not fit: it holds no literal.
    int room = MAX_LENGTH - out.length();
    out.append(sql, copiedTo, Math.min(lexer.start, copiedTo + Math.max(room, 0)));
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
