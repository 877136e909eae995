/** Implementation details of TelemetryKit core; not API, may change in any release. */
package dev.telemetrykit.core.internal;
