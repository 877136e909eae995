/**
 * JMH benchmarks: every TelemetryKit path measured side by side with its baseline (raw
 * client_java, the bare library, no instrumentation) in the same class and the same run. Build
 * with {@code mvn -B -pl benchmarks -am package -DskipTests}, run with
 * {@code java -jar benchmarks/target/benchmarks.jar <regex> -prof gc}; results go to
 * {@code docs/benchmarks.md} as ratios.
 */
package dev.telemetrykit.benchmarks;
