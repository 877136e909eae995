/** Not API: exporter wrapper, SDK self-metrics reader, context-carrying tasks. */
package dev.telemetrykit.tracing.internal;
