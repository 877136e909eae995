package dev.telemetrykit.jdbc.internal;

import java.util.Locale;
import java.util.Set;

/**
 * Finds a statement's operation (its first SQL keyword) and, when one table is cheaply known,
 * its collection (table) name. One linear pass over the tokens of {@link SqlLexer}; the result
 * is cached per SQL string by {@link Recorder}, so it runs once per distinct statement.
 *
 * <p>The operation is one of a fixed set of SQL commands (upper case), or {@code _OTHER}: it is
 * a metric label, so its values must stay few. {@code WITH ... SELECT} is a {@code SELECT}.
 * The collection is found for {@code SELECT ... FROM t} reading a single table (no join, no
 * comma list, no subquery in {@code FROM}), {@code INSERT INTO t}, {@code UPDATE t},
 * {@code DELETE FROM t}, {@code MERGE INTO t}, and {@code CREATE/DROP/ALTER/TRUNCATE TABLE t};
 * it is kept as written ({@code schema.table}), without quotes.
 */
public final class SqlParser {

  /** Operation label value for statements whose first keyword is not a known command. */
  public static final String OTHER = "_OTHER";

  /** Longest collection name reported; longer ones are not reported. */
  static final int MAX_COLLECTION_LENGTH = 128;

  private static final Set<String> OPERATIONS = Set.of(
      "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE", "CALL", "EXEC",
      "EXECUTE", "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "GRANT", "REVOKE", "BEGIN",
      "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SET", "SHOW", "EXPLAIN", "ANALYZE",
      "VACUUM", "COPY", "LOCK", "VALUES", "DECLARE", "FETCH", "CLOSE", "PREPARE", "DEALLOCATE",
      "LISTEN", "NOTIFY", "COMMENT", "REFRESH", "USE", "DESCRIBE", "TABLE", "CHECKPOINT",
      "REINDEX", "CLUSTER", "DISCARD", "RESET", "LOAD", "UNLISTEN", "DO");

  /** Words after which a single-table {@code FROM t [alias]} has ended. */
  private static final Set<String> FROM_END = Set.of(
      "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "FETCH", "FOR", "UNION", "EXCEPT",
      "INTERSECT", "MINUS", "WINDOW", "RETURNING", "QUALIFY");

  private SqlParser() {}

  /** The parsed operation and collection of one statement. */
  public static final class Parsed {
    /** Upper-case operation, never null. */
    public final String operation;
    /** Table name, or {@code null} when not cheaply known. */
    public final String collection;

    Parsed(String operation, String collection) {
      this.operation = operation;
      this.collection = collection;
    }
  }

  /** Parses {@code sql}; never throws. */
  public static Parsed parse(String sql) {
    SqlLexer lx = new SqlLexer(sql);
    int kind = nextSignificant(lx);
    // JDBC escapes and wrappers: "{call p(?)}", "{? = call p(?)}", "(SELECT ...)".
    while (kind == SqlLexer.PUNCT && (lx.isPunct('{') || lx.isPunct('(') || lx.isPunct('?')
        || lx.isPunct('='))) {
      kind = nextSignificant(lx);
    }
    if (kind != SqlLexer.WORD) {
      return new Parsed(OTHER, null);
    }
    String keyword = lx.text().toUpperCase(Locale.ROOT);
    if (keyword.equals("WITH")) {
      return withQuery(lx);
    }
    if (!OPERATIONS.contains(keyword)) {
      return new Parsed(OTHER, null);
    }
    return new Parsed(keyword, collection(keyword, lx));
  }

  /** {@code WITH a AS (...), b AS (...) SELECT ...}: the operation after the CTEs. */
  private static Parsed withQuery(SqlLexer lx) {
    int depth = 0;
    for (int kind = nextSignificant(lx); kind != SqlLexer.END; kind = nextSignificant(lx)) {
      if (lx.isPunct('(')) {
        depth++;
      } else if (lx.isPunct(')')) {
        depth--;
      } else if (depth == 0 && kind == SqlLexer.WORD) {
        for (String op : new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "MERGE"}) {
          if (lx.isWord(op)) {
            return new Parsed(op, collection(op, lx));
          }
        }
      }
    }
    return new Parsed(OTHER, null);
  }

  private static String collection(String operation, SqlLexer lx) {
    switch (operation) {
      case "SELECT":
        return selectCollection(lx);
      case "INSERT":
      case "REPLACE":
      case "UPSERT":
        nextSignificant(lx);
        skipWords(lx, "IGNORE", "INTO");
        return name(lx);
      case "MERGE":
        nextSignificant(lx);
        skipWords(lx, "INTO");
        return name(lx);
      case "UPDATE":
        nextSignificant(lx);
        skipWords(lx, "ONLY");
        return name(lx);
      case "DELETE":
        nextSignificant(lx);
        skipWords(lx, "FROM", "ONLY");
        return name(lx);
      case "TRUNCATE":
        nextSignificant(lx);
        skipWords(lx, "TABLE", "ONLY");
        return name(lx);
      case "CREATE":
      case "DROP":
      case "ALTER":
        nextSignificant(lx);
        skipWords(lx, "OR", "REPLACE", "GLOBAL", "LOCAL", "TEMP", "TEMPORARY", "UNLOGGED",
            "CACHED", "MEMORY");
        if (!lx.isWord("TABLE")) {
          return null;
        }
        nextSignificant(lx);
        skipWords(lx, "IF", "NOT", "EXISTS", "ONLY");
        return name(lx);
      default:
        return null;
    }
  }

  /** After SELECT: the one table of the top-level FROM, or null. */
  private static String selectCollection(SqlLexer lx) {
    int depth = 0;
    for (int kind = nextSignificant(lx); kind != SqlLexer.END; kind = nextSignificant(lx)) {
      if (lx.isPunct('(')) {
        depth++;
      } else if (lx.isPunct(')')) {
        depth--;
      } else if (depth == 0 && lx.isWord("FROM")) {
        nextSignificant(lx);
        String table = name(lx);
        if (table == null || lx.isPunct('(')) {
          return null; // subquery or table function
        }
        // optional alias
        if (lx.isWord("AS")) {
          nextSignificant(lx);
        }
        if ((lx.kind == SqlLexer.WORD && !isFromEnd(lx)) || lx.kind == SqlLexer.QUOTED) {
          nextSignificant(lx);
        }
        return lx.kind == SqlLexer.END || lx.isPunct(';') || lx.isPunct(')') || isFromEnd(lx)
            ? table : null;
      }
    }
    return null;
  }

  private static boolean isFromEnd(SqlLexer lx) {
    return lx.kind == SqlLexer.WORD && lx.end - lx.start <= 9
        && FROM_END.contains(lx.text().toUpperCase(Locale.ROOT));
  }

  /**
   * Reads {@code name(.name)*} starting at the current token, leaving the lexer on the token
   * after it; null if the current token is no identifier or the name is too long.
   */
  private static String name(SqlLexer lx) {
    StringBuilder out = null;
    while (lx.kind == SqlLexer.WORD || lx.kind == SqlLexer.QUOTED) {
      String part = lx.kind == SqlLexer.QUOTED ? unquote(lx.text()) : lx.text();
      if (out == null) {
        out = new StringBuilder(part);
      } else {
        out.append('.').append(part);
      }
      nextSignificant(lx);
      if (!lx.isPunct('.')) {
        break;
      }
      nextSignificant(lx);
    }
    if (out == null || out.length() == 0 || out.length() > MAX_COLLECTION_LENGTH) {
      return null;
    }
    return out.toString();
  }

  private static String unquote(String quoted) {
    if (quoted.length() < 2) {
      return "";
    }
    char q = quoted.charAt(0);
    String inner = quoted.substring(1, quoted.length() - 1);
    return inner.replace(String.valueOf(q) + q, String.valueOf(q));
  }

  private static void skipWords(SqlLexer lx, String... words) {
    boolean skipped = true;
    while (skipped && lx.kind == SqlLexer.WORD) {
      skipped = false;
      for (String w : words) {
        if (lx.isWord(w)) {
          nextSignificant(lx);
          skipped = true;
          break;
        }
      }
    }
  }

  private static int nextSignificant(SqlLexer lx) {
    int kind;
    do {
      kind = lx.next();
    } while (kind == SqlLexer.COMMENT);
    return kind;
  }
}
