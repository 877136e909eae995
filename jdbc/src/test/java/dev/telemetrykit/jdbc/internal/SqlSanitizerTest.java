package dev.telemetrykit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlSanitizerTest {

  @Test
  void replacesStringAndNumberLiteralsWithQuestionMarks() {
    assertThat(SqlSanitizer.sanitize(
        "INSERT INTO cards (number, cvv, amount) VALUES ('4111 1111 1111 1111', 123, 19.99)"))
        .isEqualTo("INSERT INTO cards (number, cvv, amount) VALUES (?, ?, ?)");
    assertThat(SqlSanitizer.sanitize("SELECT * FROM t WHERE a = -5 AND b >= 1.5e-3 AND c < .5"))
        .isEqualTo("SELECT * FROM t WHERE a = -? AND b >= ? AND c < ?");
    assertThat(SqlSanitizer.sanitize("SELECT 0xFF, X'0A0B', N'név', B'1010'"))
        .isEqualTo("SELECT ?, ?, ?, ?");
  }

  @Test
  void keepsIdentifiersKeywordsAndParameters() {
    assertThat(SqlSanitizer.sanitize("SELECT t1.col2, \"Weird 42\" FROM schema1.table3 t1 WHERE id = ? AND x = $1 AND y = :name"))
        .isEqualTo("SELECT t1.col2, \"Weird 42\" FROM schema1.table3 t1 WHERE id = ? AND x = $1 AND y = :name");
  }

  @Test
  void handlesEscapedQuotesInsideStrings() {
    assertThat(SqlSanitizer.sanitize("SELECT 'it''s 4111', 'b' FROM t"))
        .isEqualTo("SELECT ?, ? FROM t");
    assertThat(SqlSanitizer.sanitize("SELECT E'it\\'s secret', 'c:\\' FROM t WHERE p = 'pin 1234'"))
        .isEqualTo("SELECT ?, ? FROM t WHERE p = ?");
  }

  @Test
  void replacesDollarQuotedStringsButNotPositionalParameters() {
    assertThat(SqlSanitizer.sanitize("SELECT $$secret ' text$$, $tag$more $$ secret$tag$, $2"))
        .isEqualTo("SELECT ?, ?, $2");
  }

  @Test
  void dropsCommentsThatCouldCarryValuesOrConfuseQuotes() {
    assertThat(SqlSanitizer.sanitize("SELECT /* user 'bob' */ a -- it's 42\nFROM t"))
        .isEqualTo("SELECT  a \nFROM t");
    assertThat(SqlSanitizer.sanitize("SELECT/*x*/1")).isEqualTo("SELECT ?");
  }

  @Test
  void unterminatedLiteralHidesTheRestRatherThanRevealingIt() {
    assertThat(SqlSanitizer.sanitize("SELECT * FROM t WHERE a = 'oops AND b = 'secret'"))
        .isEqualTo("SELECT * FROM t WHERE a = ?secret?");
    assertThat(SqlSanitizer.sanitize("SELECT * FROM t WHERE a = 'never closed 4111"))
        .isEqualTo("SELECT * FROM t WHERE a = ?");
    assertThat(SqlSanitizer.sanitize("SELECT $x$ never closed 4111"))
        .isEqualTo("SELECT ?");
  }

  @Test
  void longStatementsAreCutAtATokenBoundary() {
    StringBuilder sql = new StringBuilder("SELECT * FROM t WHERE id IN (");
    for (int i = 0; i < 5000; i++) {
      sql.append(i == 0 ? "" : ", ").append(1_000_000 + i);
    }
    sql.append(")");
    String sanitized = SqlSanitizer.sanitize(sql.toString());
    assertThat(sanitized).hasSizeLessThanOrEqualTo(SqlSanitizer.MAX_LENGTH + "...".length())
        .startsWith("SELECT * FROM t WHERE id IN (?, ?, ?").endsWith("...")
        .doesNotContainPattern("[0-9]");
  }

  @Test
  void pathologicalInputIsScannedInOnePass() {
    // Patterns that make backtracking regular expressions explode: many quotes and escapes.
    String quotes = "'".repeat(200_001);
    String escapes = "E'" + "\\'".repeat(100_000);
    String comments = "/* " + "' ".repeat(100_000);
    assertThat(SqlSanitizer.sanitize(quotes)).isEqualTo("?");
    assertThat(SqlSanitizer.sanitize(escapes)).isEqualTo("?");
    assertThat(SqlSanitizer.sanitize(comments)).isEmpty();
  }
}
