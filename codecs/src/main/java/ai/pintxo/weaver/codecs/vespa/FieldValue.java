package ai.pintxo.weaver.codecs.vespa;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A typed Vespa field value, as written in the document JSON format. */
public sealed interface FieldValue {

  /**
   * Writes the value in the document JSON format.
   *
   * @param json the output, positioned where a value is expected
   */
  void writeTo(JsonBytes json);

  /** @return a string value */
  static FieldValue of(String value) {
    return new Text(value);
  }

  /** @return a long/int value */
  static FieldValue of(long value) {
    return new Int64(value);
  }

  /** @return a double/float value */
  static FieldValue of(double value) {
    return new Float64(value);
  }

  /** @return a bool value */
  static FieldValue of(boolean value) {
    return new Bool(value);
  }

  /** @return an {@code array<string>} value */
  static FieldValue ofStrings(List<String> values) {
    return new StringArray(values);
  }

  /** @return a {@code map<string,double>} value */
  static FieldValue ofDoubles(Map<String, Double> values) {
    return new DoubleMap(values);
  }

  /** A {@code string} field. */
  record Text(String value) implements FieldValue {
    public Text {
      if (value == null) {
        throw new IllegalArgumentException("text value must not be null");
      }
    }

    @Override
    public void writeTo(JsonBytes json) {
      json.string(value);
    }
  }

  /** An {@code int} or {@code long} field. */
  record Int64(long value) implements FieldValue {
    @Override
    public void writeTo(JsonBytes json) {
      JsonNumbers.write(json, value);
    }
  }

  /** A {@code float} or {@code double} field. Vespa JSON has no NaN or infinity. */
  record Float64(double value) implements FieldValue {
    public Float64 {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("Vespa cannot hold a non-finite number: " + value);
      }
    }

    @Override
    public void writeTo(JsonBytes json) {
      JsonNumbers.write(json, value);
    }
  }

  /** A {@code bool} field. */
  record Bool(boolean value) implements FieldValue {
    @Override
    public void writeTo(JsonBytes json) {
      json.bool(value);
    }
  }

  /** An {@code array<string>} field. */
  record StringArray(List<String> values) implements FieldValue {
    public StringArray {
      values = List.copyOf(values);
    }

    @Override
    public void writeTo(JsonBytes json) {
      json.raw('[');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          json.raw(',');
        }
        json.string(values.get(i));
      }
      json.raw(']');
    }
  }

  /** A {@code map<string,double>} field, in insertion order. */
  record DoubleMap(Map<String, Double> values) implements FieldValue {
    public DoubleMap {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
      values.values().forEach(v -> {
        if (v == null || !Double.isFinite(v)) {
          throw new IllegalArgumentException("map value must be a finite number, was " + v);
        }
      });
    }

    @Override
    public void writeTo(JsonBytes json) {
      json.raw('{');
      boolean first = true;
      for (Map.Entry<String, Double> e : values.entrySet()) {
        if (!first) {
          json.raw(',');
        }
        first = false;
        JsonNumbers.write(json.string(e.getKey()).raw(':'), e.getValue().doubleValue());
      }
      json.raw('}');
    }
  }
}
