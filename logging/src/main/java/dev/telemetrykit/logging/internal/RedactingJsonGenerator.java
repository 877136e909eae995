package dev.telemetrykit.logging.internal;

import dev.telemetrykit.core.redaction.RedactionBuffer;
import dev.telemetrykit.core.redaction.RedactionRule;
import dev.telemetrykit.core.redaction.Redactor;
import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.telemetrykit.logging.Sensitive;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The one choke point: every field name and value a log line's JSON is made of passes through
 * here. A sensitive key masks the value that follows it, whatever it is (a string, a number,
 * a whole object or array); every string is scanned for secrets; raw JSON is parsed and
 * written back through this generator, or masked whole when it does not parse; numbers that
 * are card numbers are masked; {@link Sensitive} values print the mask.
 *
 * <p>Constructed with {@code delegateCopyMethods = false}, so {@code writeObject},
 * {@code writeTree} and {@code copyCurrent*} serialise through this generator too.
 * One instance per LLE formatter (LLE reuses a generator per thread); not thread-safe.
 */
final class RedactingJsonGenerator extends JsonGeneratorDelegate {

  /**
   * Top-level fields LLE fills from Logback itself; their values are not scanned. The trace
   * fields are not among them: every MDC key is written and application code may put anything
   * under those names; their IDs cost little to scan (the scanner skips ID-shaped text).
   */
  private static final String[] UNSCANNED = {
      "@timestamp", "level", "logger", "thread", "service.name", "caller_line_number"};

  private static final ObjectMapper PARSER =
      new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

  private static final byte NORMAL = 0;
  private static final byte SENSITIVE = 1;
  private static final byte UNSCANNED_FIELD = 2;
  private static final byte KIND_BITS = 3;
  /** Flag on a kind: the field name itself needs no masking, so it is written unchanged. */
  private static final byte CLEAN_NAME = 4;
  private static final int CACHE_SIZE = 256;
  private static final int MDC_SLOTS = 8;
  /** Longer MDC values are scanned every time rather than kept alive by the generator. */
  private static final int MDC_MAX_LENGTH = 256;

  private final Supplier<Redactor> policy;
  private final String[] cacheKeys = new String[CACHE_SIZE];
  private final byte[] cacheKinds = new byte[CACHE_SIZE];
  /** Values are scanned and masked here and written as characters: no String per masked value. */
  private final RedactionBuffer buffer = new RedactionBuffer();
  private Redactor redactor;
  private Redactor cachedFor;
  /**
   * The MDC values this generator wrote, by position in the line's MDC, with what it wrote for
   * them. A value is one String object on every line logged while it is set (a request's
   * correlation ID, its trace and span IDs, a user ID, an upstream credential), and a String
   * never changes, so the same object at the same position is written as before without
   * scanning it again; a masked one counts its findings again. Compared by identity only;
   * forgotten when the redaction settings change. The generator is used by one thread at a time.
   */
  private final MdcSlot[] mdcSlots = new MdcSlot[MDC_SLOTS];
  private Redactor mdcSlotsFor;
  private int depth;
  private int skipDepth;
  private boolean maskNext;
  private boolean unscannedNext;

  private final boolean stackTraceRedacted;

  RedactingJsonGenerator(JsonGenerator delegate, Supplier<Redactor> policy,
      boolean stackTraceRedacted) {
    super(delegate, false);
    this.policy = policy;
    this.stackTraceRedacted = stackTraceRedacted;
    this.redactor = policy.get();
  }

  // ---- keys ---------------------------------------------------------------------------------

  private byte kind(String name) {
    if (cachedFor != redactor) {
      java.util.Arrays.fill(cacheKeys, null);
      cachedFor = redactor;
    }
    int slot = name.hashCode() & (CACHE_SIZE - 1);
    String k = cacheKeys[slot];
    if (k == name || k != null && k.equals(name)) {
      return cacheKinds[slot];
    }
    byte kind = redactor.isSensitiveKey(name) ? SENSITIVE : NORMAL;
    if (kind == NORMAL && stackTraceRedacted && name.equals("stack_trace")) {
      kind = UNSCANNED_FIELD;
    } else if (kind == NORMAL) {
      for (String u : UNSCANNED) {
        if (u.equals(name)) {
          kind = UNSCANNED_FIELD;
          break;
        }
      }
    }
    if ((kind & KIND_BITS) == UNSCANNED_FIELD || redactor.redact(name) == name) {
      kind |= CLEAN_NAME;
    }
    if (name.length() <= 64) {
      cacheKeys[slot] = name;
      cacheKinds[slot] = kind;
    }
    return kind;
  }

  @Override
  public void writeFieldName(String name) throws IOException {
    if (skipDepth > 0) {
      return;
    }
    byte kind = beginField(name);
    delegate.writeFieldName((kind & CLEAN_NAME) != 0 ? name : redactor.redact(name));
  }

  /**
   * LLE writes its own field names as pre-encoded {@link SerializableString}s; passing them on
   * unchanged when clean keeps that fast path (re-encoding every name cost ~8 % per event).
   */
  @Override
  public void writeFieldName(SerializableString name) throws IOException {
    if (skipDepth > 0) {
      return;
    }
    String text = name.getValue();
    byte kind = beginField(text);
    if ((kind & CLEAN_NAME) != 0) {
      delegate.writeFieldName(name);
    } else {
      delegate.writeFieldName(redactor.redact(text));
    }
  }

  private byte beginField(String name) {
    maskNext = false;
    unscannedNext = false;
    byte kind = kind(name);
    byte base = (byte) (kind & KIND_BITS);
    if (base == SENSITIVE) {
      maskNext = true;
    } else if (base == UNSCANNED_FIELD && depth == 1) {
      unscannedNext = true;
    }
    return kind;
  }

  @Override
  public void writeFieldId(long id) throws IOException {
    writeFieldName(Long.toString(id));
  }

  @Override
  public void writeOmittedField(String fieldName) throws IOException {
    // nothing to write
  }

  // ---- structure ----------------------------------------------------------------------------

  /** Returns true when the value was consumed (skipped or masked). */
  private boolean consumeScalar() throws IOException {
    if (skipDepth > 0) {
      return true;
    }
    unscannedNext = false;
    if (maskNext) {
      maskNext = false;
      writeMask(RedactionRule.KEY);
      return true;
    }
    return false;
  }

  private void writeMask(RedactionRule rule) throws IOException {
    redactor.count(rule);
    delegate.writeString(redactor.mask());
  }

  private boolean consumeStart() throws IOException {
    if (skipDepth > 0) {
      skipDepth++;
      return true;
    }
    unscannedNext = false;
    if (maskNext) {
      maskNext = false;
      writeMask(RedactionRule.KEY);
      skipDepth = 1;
      return true;
    }
    if (depth == 0) {
      Redactor current = policy.get();
      if (current != redactor) {
        redactor = current;
      }
    }
    depth++;
    return false;
  }

  private boolean consumeEnd() {
    if (skipDepth > 0) {
      skipDepth--;
      return true;
    }
    depth--;
    return false;
  }

  @Override
  public void writeStartObject() throws IOException {
    if (!consumeStart()) {
      delegate.writeStartObject();
    }
  }

  @Override
  public void writeStartObject(Object forValue) throws IOException {
    if (!consumeStart()) {
      delegate.writeStartObject(forValue);
    }
  }

  @Override
  public void writeStartObject(Object forValue, int size) throws IOException {
    if (!consumeStart()) {
      delegate.writeStartObject(forValue, size);
    }
  }

  @Override
  public void writeEndObject() throws IOException {
    if (!consumeEnd()) {
      delegate.writeEndObject();
    }
  }

  @Override
  public void writeStartArray() throws IOException {
    if (!consumeStart()) {
      delegate.writeStartArray();
    }
  }

  @Override
  public void writeStartArray(int size) throws IOException {
    if (!consumeStart()) {
      delegate.writeStartArray(size);
    }
  }

  @Override
  public void writeStartArray(Object forValue) throws IOException {
    if (!consumeStart()) {
      delegate.writeStartArray(forValue);
    }
  }

  @Override
  public void writeStartArray(Object forValue, int size) throws IOException {
    if (!consumeStart()) {
      delegate.writeStartArray(forValue, size);
    }
  }

  @Override
  public void writeEndArray() throws IOException {
    if (!consumeEnd()) {
      delegate.writeEndArray();
    }
  }

  @Override
  public void writeArray(int[] array, int offset, int length) throws IOException {
    writeStartArray();
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(long[] array, int offset, int length) throws IOException {
    writeStartArray();
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(double[] array, int offset, int length) throws IOException {
    writeStartArray();
    for (int i = offset; i < offset + length; i++) {
      writeNumber(array[i]);
    }
    writeEndArray();
  }

  @Override
  public void writeArray(String[] array, int offset, int length) throws IOException {
    writeStartArray();
    for (int i = offset; i < offset + length; i++) {
      writeString(array[i]);
    }
    writeEndArray();
  }

  // ---- strings ------------------------------------------------------------------------------

  @Override
  public void writeString(String text) throws IOException {
    if (text == null) {
      writeNull();
      return;
    }
    boolean unscanned = unscannedNext;
    if (consumeScalar()) {
      return;
    }
    if (unscanned) {
      delegate.writeString(text);
      return;
    }
    writeScanned(text, null);
  }

  /**
   * Scans {@code text} and writes it, masked where a detector matched, and remembers what was
   * written in {@code slot} unless it is null. The detectors read an array copy of the text;
   * Jackson writes from the same array (or from the masked copy), which costs no more than its
   * own copy of a String.
   */
  private void writeScanned(String text, MdcSlot slot) throws IOException {
    boolean masked = redactor.redact(text, buffer);
    delegate.writeString(buffer.chars(), 0, buffer.length());
    if (slot != null) {
      slot.remember(text, masked, buffer);
    }
    buffer.release();
  }

  /**
   * Writes one MDC entry as {@link #writeStringField} does, except that the very same String
   * object this generator wrote at the same {@code position} on an earlier line is written as
   * it was then (unchanged, or masked with its findings counted again) without scanning it.
   */
  void writeMdcField(String name, String value, int position) throws IOException {
    writeFieldName(name);
    if (value == null || position >= MDC_SLOTS || value.length() > MDC_MAX_LENGTH
        || skipDepth > 0 || maskNext || unscannedNext) {
      writeString(value);
      return;
    }
    if (mdcSlotsFor != redactor) {
      java.util.Arrays.fill(mdcSlots, null);
      mdcSlotsFor = redactor;
    }
    MdcSlot slot = mdcSlots[position];
    if (slot == null) {
      slot = mdcSlots[position] = new MdcSlot();
    }
    if (slot.value == value) {
      if (slot.maskedLength < 0) {
        delegate.writeString(value);
      } else {
        for (int i = 0; i < slot.findings; i++) {
          redactor.count(slot.rules[i]);
        }
        delegate.writeString(slot.masked, 0, slot.maskedLength);
      }
      return;
    }
    writeScanned(value, slot);
  }

  /** What was written for one MDC value object; see {@link #mdcSlots}. */
  private static final class MdcSlot {
    String value;
    /** The masked text written for {@link #value}, or -1 when it was written unchanged. */
    int maskedLength = -1;
    char[] masked = new char[0];
    int findings;
    RedactionRule[] rules = new RedactionRule[0];

    void remember(String written, boolean wasMasked, RedactionBuffer result) {
      value = written;
      if (!wasMasked) {
        maskedLength = -1;
        return;
      }
      int n = result.length();
      if (masked.length < n) {
        masked = new char[Math.max(n, 2 * masked.length)];
      }
      System.arraycopy(result.chars(), 0, masked, 0, n);
      maskedLength = n;
      findings = result.findings();
      if (rules.length < findings) {
        rules = new RedactionRule[findings];
      }
      for (int i = 0; i < findings; i++) {
        rules[i] = result.finding(i);
      }
    }
  }

  @Override
  public void writeString(char[] text, int offset, int len) throws IOException {
    writeString(new String(text, offset, len));
  }

  @Override
  public void writeString(SerializableString text) throws IOException {
    writeString(text.getValue());
  }

  @Override
  public void writeString(Reader reader, int len) throws IOException {
    StringBuilder sb = new StringBuilder();
    char[] buf = new char[1024];
    int remaining = len < 0 ? Integer.MAX_VALUE : len;
    int r;
    while (remaining > 0 && (r = reader.read(buf, 0, Math.min(buf.length, remaining))) > 0) {
      sb.append(buf, 0, r);
      remaining -= r;
    }
    writeString(sb.toString());
  }

  @Override
  public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
    writeString(new String(text, offset, length, StandardCharsets.UTF_8));
  }

  @Override
  public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
    writeString(new String(text, offset, length, StandardCharsets.UTF_8));
  }

  // ---- raw ----------------------------------------------------------------------------------

  @Override
  public void writeRaw(String text) throws IOException {
    if (skipDepth > 0) {
      return;
    }
    delegate.writeRaw(redactor.redact(text));
  }

  @Override
  public void writeRaw(String text, int offset, int len) throws IOException {
    writeRaw(text.substring(offset, offset + len));
  }

  @Override
  public void writeRaw(char[] text, int offset, int len) throws IOException {
    writeRaw(new String(text, offset, len));
  }

  @Override
  public void writeRaw(char c) throws IOException {
    writeRaw(String.valueOf(c));
  }

  @Override
  public void writeRaw(SerializableString text) throws IOException {
    writeRaw(text.getValue());
  }

  @Override
  public void writeRawValue(String text) throws IOException {
    if (consumeScalar()) {
      return;
    }
    JsonNode node;
    try {
      node = text == null ? null : PARSER.readTree(text);
    } catch (IOException | RuntimeException notJson) {
      node = null;
    }
    if (node == null || node.isMissingNode()) {
      writeMask(RedactionRule.UNPARSABLE_RAW_JSON);
      return;
    }
    PARSER.writeTree(this, node);
  }

  @Override
  public void writeRawValue(String text, int offset, int len) throws IOException {
    writeRawValue(text.substring(offset, offset + len));
  }

  @Override
  public void writeRawValue(char[] text, int offset, int len) throws IOException {
    writeRawValue(new String(text, offset, len));
  }

  @Override
  public void writeRawValue(SerializableString raw) throws IOException {
    writeRawValue(raw.getValue());
  }

  // ---- numbers and the rest -----------------------------------------------------------------

  @Override
  public void writeNumber(short v) throws IOException {
    if (!consumeScalar()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(int v) throws IOException {
    if (!consumeScalar()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(long v) throws IOException {
    if (consumeScalar()) {
      return;
    }
    if (redactor.isCardNumber(v)) {
      writeMask(RedactionRule.CARD_NUMBER);
    } else {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(BigInteger v) throws IOException {
    if (v == null) {
      writeNull();
      return;
    }
    if (consumeScalar()) {
      return;
    }
    if (v.bitLength() < 64 && redactor.isCardNumber(v.longValue())) {
      writeMask(RedactionRule.CARD_NUMBER);
    } else {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(double v) throws IOException {
    if (!consumeScalar()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(float v) throws IOException {
    if (!consumeScalar()) {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(BigDecimal v) throws IOException {
    if (v == null) {
      writeNull();
      return;
    }
    if (consumeScalar()) {
      return;
    }
    if (v.scale() <= 0 && v.precision() <= 19 && redactor.isCardDigits(v.toBigInteger().toString())) {
      writeMask(RedactionRule.CARD_NUMBER);
    } else {
      delegate.writeNumber(v);
    }
  }

  @Override
  public void writeNumber(String encodedValue) throws IOException {
    if (consumeScalar()) {
      return;
    }
    if (encodedValue != null && redactor.isCardDigits(encodedValue)) {
      writeMask(RedactionRule.CARD_NUMBER);
    } else if (encodedValue != null && !redactor.redact(encodedValue).equals(encodedValue)) {
      writeMask(RedactionRule.CUSTOM_PATTERN);
    } else {
      delegate.writeNumber(encodedValue);
    }
  }

  @Override
  public void writeNumber(char[] encodedValue, int offset, int len) throws IOException {
    writeNumber(new String(encodedValue, offset, len));
  }

  @Override
  public void writeBoolean(boolean state) throws IOException {
    if (!consumeScalar()) {
      delegate.writeBoolean(state);
    }
  }

  @Override
  public void writeNull() throws IOException {
    if (skipDepth > 0) {
      return;
    }
    unscannedNext = false;
    maskNext = false;
    delegate.writeNull();
  }

  @Override
  public void writeBinary(Base64Variant b64variant, byte[] data, int offset, int len)
      throws IOException {
    if (!consumeScalar()) {
      delegate.writeBinary(b64variant, data, offset, len);
    }
  }

  @Override
  public int writeBinary(Base64Variant b64variant, InputStream data, int dataLength)
      throws IOException {
    if (consumeScalar()) {
      return 0;
    }
    return delegate.writeBinary(b64variant, data, dataLength);
  }

  @Override
  public void writeObject(Object value) throws IOException {
    if (value instanceof Sensitive) {
      if (!consumeScalar()) {
        writeMask(RedactionRule.SENSITIVE_VALUE);
      }
      return;
    }
    if (value != null && (skipDepth > 0 || maskNext)) {
      consumeScalar();
      return;
    }
    // Common scalars without a trip through the ObjectMapper.
    if (value instanceof String) {
      writeString((String) value);
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      writeNumber(((Number) value).intValue());
    } else if (value instanceof Long) {
      writeNumber(((Long) value).longValue());
    } else if (value instanceof Boolean) {
      writeBoolean((Boolean) value);
    } else {
      super.writeObject(value);
    }
  }

  @Override
  public void writePOJO(Object value) throws IOException {
    writeObject(value);
  }

  @Override
  public void writeTree(TreeNode node) throws IOException {
    if (node != null && (skipDepth > 0 || maskNext)) {
      consumeScalar();
      return;
    }
    super.writeTree(node);
  }

  @Override
  public void writeEmbeddedObject(Object object) throws IOException {
    writeObject(object);
  }
}
