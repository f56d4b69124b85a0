package ai.pintxo.weaver.trace;

import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;

/** Kafka record headers as the OpenTelemetry propagator's carrier: written as a list, read from a record. */
final class KafkaHeaderCarrier {

  static final TextMapSetter<List<Header>> SETTER =
      (headers, key, value) -> headers.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8)));

  static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Headers headers) {
      List<String> keys = new ArrayList<>();
      headers.forEach(h -> keys.add(h.key()));
      return keys;
    }

    @Override
    public String get(Headers headers, String key) {
      if (headers == null) {
        return null;
      }
      Header header = headers.lastHeader(key);
      return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
  };

  private KafkaHeaderCarrier() {
  }
}
