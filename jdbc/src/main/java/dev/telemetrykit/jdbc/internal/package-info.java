/**
 * Not API: the delegating JDBC wrappers, the recorder, the SQL lexer, parser and sanitiser.
 * May change in any release.
 */
package dev.telemetrykit.jdbc.internal;
