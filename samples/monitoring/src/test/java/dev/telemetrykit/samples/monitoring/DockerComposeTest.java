package dev.telemetrykit.samples.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerComposeTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void composeWiresSampleMonitoringAndTracing() throws Exception {
    JsonNode services = YAML.readTree(Tools.read("docker-compose.yml")).path("services");
    List<String> names = new ArrayList<>();
    services.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrder("orders-service", "prometheus", "alertmanager",
        "grafana", "otel-collector", "jaeger");
    services.forEach(s -> assertThat(s.path("image").asText()).as(s.toString()).matches(".+:[0-9v][^:]*"));
    JsonNode env = services.path("orders-service").path("environment");
    assertThat(env.path("OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEqualTo("http://otel-collector:4317");
    assertThat(env.path("OTEL_EXPORTER_PROMETHEUS_HOST").asText()).isEqualTo("0.0.0.0");
  }

  @Test
  void everyMountedConfigFileExists() throws Exception {
    JsonNode services = YAML.readTree(Tools.read("docker-compose.yml")).path("services");
    List<String> missing = new ArrayList<>();
    for (JsonNode service : services) {
      for (JsonNode volume : service.path("volumes")) {
        String host = volume.asText().split(":")[0];
        if (host.endsWith("orders-service.jar")) {
          // built by `mvn package` of samples/orders-service; only its folder must exist
          assertThat(host).isEqualTo("../orders-service/target/orders-service.jar");
          continue;
        }
        if (!Files.exists(Tools.DIR.resolve(host))) {
          missing.add(host);
        }
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  void collectorPipelineUsesOnlyDefinedComponentsAndExportsToJaeger() throws Exception {
    JsonNode c = YAML.readTree(Tools.read("otel-collector/config.yaml"));
    JsonNode traces = c.path("service").path("pipelines").path("traces");
    for (String kind : List.of("receivers", "processors", "exporters")) {
      for (JsonNode name : traces.path(kind)) {
        assertThat(c.path(kind).has(name.asText())).as(kind + " " + name).isTrue();
      }
    }
    assertThat(c.path("exporters").path("otlp/jaeger").path("endpoint").asText()).isEqualTo("jaeger:4317");
  }
}
