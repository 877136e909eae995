package dev.telemetrykit.tracing.internal;

import dev.telemetrykit.core.InstrumentationErrors;
import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import dev.telemetrykit.core.redaction.Signal;
import dev.telemetrykit.tracing.TracingMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * Passes every exported span through core's redaction engine before the real exporter sees
 * it: span names, string (and string-array) attributes with key rules
 * ({@code http.request.header.authorization}, {@code *.cookie}, {@code *.token}, ...) and value
 * detectors, card numbers in long attributes, event attributes (so the
 * {@code exception.message} and {@code exception.stacktrace} of recorded exceptions), link
 * attributes and the status description. Findings count in
 * {@code telemetrykit_redactions_total{signal="span"}}.
 *
 * <p>One place in the export pipeline, so spans from user code and from the http and jdbc
 * modules are covered alike. It runs on the batch processor's worker thread, never on an
 * application thread; a clean span is passed on as the same object. If redaction itself fails,
 * the span is dropped from the batch (counted as an instrumentation error) rather than
 * exported unredacted.
 */
public final class RedactingSpanExporter extends ForwardingSpanExporter {

  private final Redactor redactor;
  private final InstrumentationErrors errors;
  private final ConcurrentHashMap<String, Boolean> sensitiveKeys = new ConcurrentHashMap<>();
  private static final int MAX_CACHED_KEYS = 4096;

  public RedactingSpanExporter(SpanExporter delegate, Redactor redactor,
      InstrumentationErrors errors) {
    super(delegate);
    this.redactor = redactor.forSignal(Signal.SPAN);
    this.errors = errors;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> out = null;
    int i = 0;
    for (SpanData span : spans) {
      SpanData safe;
      try {
        safe = redact(span);
      } catch (RuntimeException e) {
        errors.record(TracingMetrics.COMPONENT, e);
        safe = null;
      }
      if (safe != span && out == null) {
        out = new ArrayList<>(spans.size());
        int j = 0;
        for (SpanData earlier : spans) {
          if (j++ == i) {
            break;
          }
          out.add(earlier);
        }
      }
      if (out != null && safe != null) {
        out.add(safe);
      }
      i++;
    }
    return delegate.export(out == null ? spans : out);
  }

  /** The span with secrets masked, or the same span when it holds none. */
  SpanData redact(SpanData span) {
    String name = span.getName();
    String safeName = redactor.redact(name);
    Attributes attributes = span.getAttributes();
    Attributes safeAttributes = redact(attributes);
    List<EventData> events = span.getEvents();
    List<EventData> safeEvents = redactEvents(events);
    List<LinkData> links = span.getLinks();
    List<LinkData> safeLinks = redactLinks(links);
    StatusData status = span.getStatus();
    String description = status.getDescription();
    String safeDescription = redactor.redact(description);
    if (safeName == name && safeAttributes == attributes && safeEvents == events
        && safeLinks == links && safeDescription == description) {
      return span;
    }
    StatusData safeStatus = safeDescription == description ? status
        : StatusData.create(status.getStatusCode(), safeDescription);
    return new Redacted(span, safeName, safeAttributes, safeEvents, safeLinks, safeStatus);
  }

  private List<EventData> redactEvents(List<EventData> events) {
    List<EventData> out = null;
    for (int i = 0; i < events.size(); i++) {
      EventData e = events.get(i);
      String name = e.getName();
      String safeName = redactor.redact(name);
      Attributes a = e.getAttributes();
      Attributes safe = redact(a);
      EventData result = safe == a && safeName == name ? e
          : EventData.create(e.getEpochNanos(), safeName, safe, e.getTotalAttributeCount());
      if (result != e && out == null) {
        out = new ArrayList<>(events.subList(0, i));
      }
      if (out != null) {
        out.add(result);
      }
    }
    return out == null ? events : out;
  }

  private List<LinkData> redactLinks(List<LinkData> links) {
    List<LinkData> out = null;
    for (int i = 0; i < links.size(); i++) {
      LinkData l = links.get(i);
      Attributes a = l.getAttributes();
      Attributes safe = redact(a);
      LinkData result = safe == a ? l
          : LinkData.create(l.getSpanContext(), safe, l.getTotalAttributeCount());
      if (result != l && out == null) {
        out = new ArrayList<>(links.subList(0, i));
      }
      if (out != null) {
        out.add(result);
      }
    }
    return out == null ? links : out;
  }

  /** The attributes with secrets masked, or the same instance when none is found. */
  Attributes redact(Attributes attributes) {
    if (attributes.isEmpty()) {
      return attributes;
    }
    // forEach, not asMap(): asMap() allocates a map view and an entry per attribute, which for
    // clean spans (nearly all of them) was most of this wrapper's cost.
    AttributePass pass = new AttributePass(attributes);
    attributes.forEach(pass);
    return pass.builder == null ? attributes : pass.builder.build();
  }

  /** One pass over a span's attributes; copies them into a builder from the first finding on. */
  private final class AttributePass implements BiConsumer<AttributeKey<?>, Object> {
    private final Attributes source;
    AttributesBuilder builder;

    AttributePass(Attributes source) {
      this.source = source;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void accept(AttributeKey<?> key, Object value) {
      Object safe = redactValue(key, value);
      if (safe != value && builder == null) {
        AttributesBuilder b = Attributes.builder();
        boolean[] reached = new boolean[1];
        source.forEach((k, v) -> {
          if (reached[0] || k.equals(key)) {
            reached[0] = true;
            return;
          }
          b.put((AttributeKey<Object>) k, v);
        });
        builder = b;
      }
      if (builder != null) {
        if (safe instanceof String && key.getType() != AttributeType.STRING) {
          builder.put(AttributeKey.stringKey(key.getKey()), (String) safe);
        } else {
          builder.put((AttributeKey<Object>) key, safe);
        }
      }
    }
  }

  /**
   * Whether an attribute key names a secret, cached: attribute keys are few and repeat on every
   * span, and the key matcher allocates a normalised string for keys it does not flag.
   */
  private boolean sensitiveKey(String name) {
    Boolean known = sensitiveKeys.get(name);
    if (known != null) {
      return known;
    }
    boolean sensitive = redactor.isSensitiveKey(name);
    if (sensitiveKeys.size() < MAX_CACHED_KEYS) {
      sensitiveKeys.put(name, sensitive);
    }
    return sensitive;
  }

  private Object redactValue(AttributeKey<?> key, Object value) {
    String name = key.getKey();
    switch (key.getType()) {
      case STRING:
        if (sensitiveKey(name)) {
          redactor.count(RedactionRule.KEY);
          return redactor.mask();
        }
        return redactor.redact((String) value);
      case STRING_ARRAY: {
        List<?> list = (List<?>) value;
        boolean sensitiveKey = sensitiveKey(name);
        List<String> out = null;
        for (int i = 0; i < list.size(); i++) {
          String s = (String) list.get(i);
          String safe;
          if (sensitiveKey) {
            redactor.count(RedactionRule.KEY);
            safe = redactor.mask();
          } else {
            safe = redactor.redact(s);
          }
          if (safe != s && out == null) {
            out = new ArrayList<>(list.size());
            for (int j = 0; j < i; j++) {
              out.add((String) list.get(j));
            }
          }
          if (out != null) {
            out.add(safe);
          }
        }
        return out == null ? value : out;
      }
      case LONG:
        if (sensitiveKey(name)) {
          redactor.count(RedactionRule.KEY);
          return redactor.mask();
        }
        if (redactor.isCardNumber((Long) value)) {
          redactor.count(RedactionRule.CARD_NUMBER);
          return redactor.mask();
        }
        return value;
      default:
        if (sensitiveKey(name)) {
          redactor.count(RedactionRule.KEY);
          return redactor.mask();
        }
        return value;
    }
  }

  private static final class Redacted extends DelegatingSpanData {
    private final String name;
    private final Attributes attributes;
    private final List<EventData> events;
    private final List<LinkData> links;
    private final StatusData status;

    Redacted(SpanData delegate, String name, Attributes attributes, List<EventData> events,
        List<LinkData> links, StatusData status) {
      super(delegate);
      this.name = name;
      this.attributes = attributes;
      this.events = events;
      this.links = links;
      this.status = status;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public List<LinkData> getLinks() {
      return links;
    }

    @Override
    public StatusData getStatus() {
      return status;
    }
  }
}
