/**
 * Not API: the bound series shared by {@link dev.telemetrykit.cache.CacheRecorder} and
 * {@link dev.telemetrykit.cache.caffeine.CaffeineStats}. May change in any release.
 */
package dev.telemetrykit.cache.internal;
