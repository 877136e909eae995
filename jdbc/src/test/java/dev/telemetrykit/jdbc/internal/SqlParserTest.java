package dev.telemetrykit.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlParserTest {

  private static String op(String sql) {
    return SqlParser.parse(sql).operation;
  }

  private static String table(String sql) {
    return SqlParser.parse(sql).collection;
  }

  @Test
  void operationIsTheFirstKeywordInUpperCase() {
    assertThat(op("select * from t")).isEqualTo("SELECT");
    assertThat(op("  /* hint */ -- c\n InSeRt into t values (1)")).isEqualTo("INSERT");
    assertThat(op("(SELECT 1)")).isEqualTo("SELECT");
    assertThat(op("{call refresh_totals(?)}")).isEqualTo("CALL");
    assertThat(op("{? = call next_id()}")).isEqualTo("CALL");
    assertThat(op("WITH recent AS (SELECT * FROM orders) DELETE FROM orders_archive"))
        .isEqualTo("DELETE");
  }

  @Test
  void unknownOrMissingKeywordsAreOther() {
    assertThat(op("frobnicate the database")).isEqualTo("_OTHER");
    assertThat(op("")).isEqualTo("_OTHER");
    assertThat(op("'select'")).isEqualTo("_OTHER");
  }

  @Test
  void collectionOfSingleTableStatements() {
    assertThat(table("SELECT id, name FROM orders WHERE id = ?")).isEqualTo("orders");
    assertThat(table("SELECT * FROM shop.orders o ORDER BY id")).isEqualTo("shop.orders");
    assertThat(table("select count(*) from \"Order Lines\" as l")).isEqualTo("Order Lines");
    assertThat(table("SELECT * FROM orders WHERE id IN (SELECT order_id FROM lines)"))
        .isEqualTo("orders");
    assertThat(table("INSERT INTO orders (id) VALUES (1)")).isEqualTo("orders");
    assertThat(table("insert ignore into orders values (1)")).isEqualTo("orders");
    assertThat(table("UPDATE orders SET total = 1")).isEqualTo("orders");
    assertThat(table("DELETE FROM orders WHERE id = 1")).isEqualTo("orders");
    assertThat(table("MERGE INTO orders USING x ON (1=1)")).isEqualTo("orders");
    assertThat(table("CREATE TABLE IF NOT EXISTS orders (id INT)")).isEqualTo("orders");
    assertThat(table("DROP TABLE orders")).isEqualTo("orders");
    assertThat(table("TRUNCATE TABLE orders")).isEqualTo("orders");
    assertThat(table("WITH r AS (SELECT 1) SELECT * FROM totals")).isEqualTo("totals");
  }

  @Test
  void noCollectionWhenMoreThanOneTableOrNotCheaplyKnown() {
    assertThat(table("SELECT * FROM orders o JOIN lines l ON o.id = l.order_id")).isNull();
    assertThat(table("SELECT * FROM orders o LEFT OUTER JOIN lines l ON 1=1")).isNull();
    assertThat(table("SELECT * FROM orders, lines")).isNull();
    assertThat(table("SELECT * FROM (SELECT * FROM orders) x")).isNull();
    assertThat(table("SELECT * FROM generate_series(1, 10)")).isNull();
    assertThat(table("SELECT 1")).isNull();
    assertThat(table("CREATE INDEX idx ON orders (id)")).isNull();
    assertThat(table("CALL refresh()")).isNull();
    assertThat(table("SELECT * FROM " + "x".repeat(200))).isNull();
  }
}
