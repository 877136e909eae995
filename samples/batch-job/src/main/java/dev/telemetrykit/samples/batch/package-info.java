/** Sample: a short-lived batch job that pushes its metrics to a Prometheus Pushgateway. */
package dev.telemetrykit.samples.batch;
