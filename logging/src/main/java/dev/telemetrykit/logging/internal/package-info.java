/** Implementation of the logging module; not API, may change in any release. */
package dev.telemetrykit.logging.internal;
