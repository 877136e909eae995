/**
 * Not API: route matching, path normalisation, bound series, filters and the client wrapper
 * behind {@link dev.telemetrykit.http.HttpTelemetry}. May change without notice.
 */
package dev.telemetrykit.http.internal;
