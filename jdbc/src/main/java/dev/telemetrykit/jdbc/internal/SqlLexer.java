package dev.telemetrykit.jdbc.internal;

/**
 * A single-pass SQL tokenizer: every character is looked at a bounded number of times, so
 * scanning is linear in the length of the SQL whatever it contains (no regular expressions, no
 * backtracking). It knows just enough SQL to tell literals, identifiers, comments and
 * punctuation apart:
 *
 * <ul>
 *   <li>string literals {@code '...'} with {@code ''} escapes; {@code E'...'} (PostgreSQL) with
 *       backslash escapes; {@code X'..'}, {@code B'..'}, {@code N'..'} prefixes;
 *   <li>PostgreSQL dollar-quoted strings {@code $$...$$} and {@code $tag$...$tag$};
 *   <li>numbers, including {@code 1.5e-3}, {@code .5} and {@code 0xFF};
 *   <li>quoted identifiers {@code "..."} and {@code `...`}; parameters {@code ?}, {@code $1};
 *   <li>comments {@code -- ...} and {@code /* ... *}{@code /}.
 * </ul>
 *
 * <p>Anything unterminated (a string, comment or quoted identifier) runs to the end of the SQL,
 * so a malformed statement can only hide more text, never reveal a literal.
 */
final class SqlLexer {

  static final int END = 0;
  /** An unquoted identifier or keyword. */
  static final int WORD = 1;
  /** A quoted identifier; {@link #start}/{@link #end} include the quotes. */
  static final int QUOTED = 2;
  /** A string or number literal. */
  static final int LITERAL = 3;
  /** A comment. */
  static final int COMMENT = 4;
  /** Any other single character, e.g. {@code ( ) , . ; ?}, or a {@code $1} parameter. */
  static final int PUNCT = 5;

  private final String sql;
  private final int length;
  private int pos;
  /** Kind of the current token. */
  int kind;
  /** Start (inclusive) of the current token. */
  int start;
  /** End (exclusive) of the current token. */
  int end;

  SqlLexer(String sql) {
    this.sql = sql;
    this.length = sql.length();
  }

  /** Advances to the next token and returns its kind. */
  int next() {
    while (pos < length && Character.isWhitespace(sql.charAt(pos))) {
      pos++;
    }
    start = pos;
    if (pos >= length) {
      end = pos;
      return kind = END;
    }
    char c = sql.charAt(pos);
    if (c == '-' && peek(1) == '-') {
      int nl = sql.indexOf('\n', pos + 2);
      pos = nl < 0 ? length : nl;
      return finish(COMMENT);
    }
    if (c == '/' && peek(1) == '*') {
      int close = sql.indexOf("*/", pos + 2);
      pos = close < 0 ? length : close + 2;
      return finish(COMMENT);
    }
    if (c == '\'') {
      pos = skipQuoted(pos + 1, '\'', false);
      return finish(LITERAL);
    }
    if (c == '"' || c == '`') {
      pos = skipQuoted(pos + 1, c, false);
      return finish(QUOTED);
    }
    if (isDigit(c) || (c == '.' && isDigit(peek(1)))) {
      pos = skipNumber(pos);
      return finish(LITERAL);
    }
    if (c == '$') {
      return dollar();
    }
    if (isIdentifierStart(c)) {
      int wordEnd = pos + 1;
      while (wordEnd < length && isIdentifierPart(sql.charAt(wordEnd))) {
        wordEnd++;
      }
      if (wordEnd - pos == 1 && wordEnd < length && sql.charAt(wordEnd) == '\'' && isStringPrefix(c)) {
        pos = skipQuoted(wordEnd + 1, '\'', c == 'E' || c == 'e');
        return finish(LITERAL);
      }
      pos = wordEnd;
      return finish(WORD);
    }
    pos++;
    return finish(PUNCT);
  }

  /** The current token's text. */
  String text() {
    return sql.substring(start, end);
  }

  /** Whether the current token is the word {@code keyword} (given in upper case), any case. */
  boolean isWord(String keyword) {
    return kind == WORD && end - start == keyword.length()
        && sql.regionMatches(true, start, keyword, 0, keyword.length());
  }

  /** Whether the current token is the punctuation character {@code c}. */
  boolean isPunct(char c) {
    return kind == PUNCT && end - start == 1 && sql.charAt(start) == c;
  }

  private int finish(int tokenKind) {
    end = pos;
    return kind = tokenKind;
  }

  private char peek(int ahead) {
    int i = pos + ahead;
    return i < length ? sql.charAt(i) : '\0';
  }

  /** Returns the index after the closing quote (doubled quotes escape), or the SQL's end. */
  private int skipQuoted(int from, char quote, boolean backslashEscapes) {
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if (backslashEscapes && c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote) {
        if (i + 1 < length && sql.charAt(i + 1) == quote) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      i++;
    }
    return length;
  }

  private int skipNumber(int from) {
    int i = from;
    while (i < length) {
      char c = sql.charAt(i);
      if (isIdentifierPart(c) || c == '.') {
        i++;
        if ((c == 'e' || c == 'E') && i < length && (sql.charAt(i) == '+' || sql.charAt(i) == '-')
            && i + 1 < length && isDigit(sql.charAt(i + 1))) {
          i++;
        }
      } else {
        break;
      }
    }
    return i;
  }

  /** {@code $1} parameter, {@code $tag$...$tag$} / {@code $$...$$} string, or a lone '$'. */
  private int dollar() {
    int i = pos + 1;
    if (i < length && isDigit(sql.charAt(i))) {
      while (i < length && isDigit(sql.charAt(i))) {
        i++;
      }
      pos = i;
      return finish(PUNCT);
    }
    while (i < length && isTagPart(sql.charAt(i))) {
      i++;
    }
    if (i < length && sql.charAt(i) == '$') {
      String delimiter = sql.substring(pos, i + 1);
      int close = sql.indexOf(delimiter, i + 1);
      pos = close < 0 ? length : close + delimiter.length();
      return finish(LITERAL);
    }
    pos++;
    return finish(PUNCT);
  }

  private static boolean isStringPrefix(char c) {
    switch (c) {
      case 'E': case 'e': case 'X': case 'x': case 'B': case 'b': case 'N': case 'n':
        return true;
      default:
        return false;
    }
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isIdentifierStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '@' || c == '#'
        || (c > 127 && Character.isLetter(c));
  }

  private static boolean isIdentifierPart(char c) {
    return isIdentifierStart(c) || isDigit(c) || c == '$';
  }

  private static boolean isTagPart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || isDigit(c)
        || (c > 127 && Character.isLetter(c));
  }
}
