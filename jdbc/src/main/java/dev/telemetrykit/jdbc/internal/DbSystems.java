package dev.telemetrykit.jdbc.internal;

import java.util.Locale;

/** Maps {@code DatabaseMetaData.getDatabaseProductName()} to the semconv {@code db.system.name}. */
final class DbSystems {

  /** Semconv value for a SQL database not otherwise known. */
  static final String OTHER_SQL = "other_sql";

  private DbSystems() {}

  static String fromProductName(String productName) {
    if (productName == null) {
      return OTHER_SQL;
    }
    String p = productName.toLowerCase(Locale.ROOT);
    if (p.contains("postgres")) {
      return "postgresql";
    } else if (p.equals("h2")) {
      return "h2";
    } else if (p.contains("mariadb")) {
      return "mariadb";
    } else if (p.contains("mysql")) {
      return "mysql";
    } else if (p.contains("microsoft sql server")) {
      return "microsoft.sql_server";
    } else if (p.contains("oracle")) {
      return "oracle.db";
    } else if (p.startsWith("db2")) {
      return "ibm.db2";
    } else if (p.contains("hsql")) {
      return "hsqldb";
    } else if (p.contains("derby")) {
      return "derby";
    } else if (p.contains("sqlite")) {
      return "sqlite";
    } else if (p.contains("cockroach")) {
      return "cockroachdb";
    } else if (p.contains("clickhouse")) {
      return "clickhouse";
    } else if (p.contains("trino")) {
      return "trino";
    }
    return OTHER_SQL;
  }
}
