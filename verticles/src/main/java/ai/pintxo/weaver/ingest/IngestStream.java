package ai.pintxo.weaver.ingest;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.impl.kafka.SourceSink;
import ai.pintxo.weaver.realtime.RecordMapping;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A configured stream at run time: who may post to it, how its bodies become records, and how the
 * records go to its topic, keyed by {@link Keyed#key()}, through the verticle's {@link SourceSink}.
 *
 * @param <T> the stream's record class
 */
final class IngestStream<T extends Keyed> {

  private final String name;
  private final RecordMapping<T> mapping;
  private final byte[] authorization;
  private final Counter produced;

  IngestStream(IngestStreamOptions options, RecordMapping<T> mapping, MeterRegistry registry) {
    this.name = options.getName();
    this.mapping = mapping;
    this.authorization = ("Bearer " + options.getToken()).getBytes(StandardCharsets.UTF_8);
    this.produced = Counter.builder("weaver.records.produced").tag("topic", mapping.topic().name()).register(registry);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static IngestStream<?> of(IngestStreamOptions options, MeterRegistry registry) {
    return new IngestStream(options, options.mapping(), registry);
  }

  String name() {
    return name;
  }

  Topic<T> topic() {
    return mapping.topic();
  }

  /** @return whether the request's {@code Authorization} header carries this stream's token (compared in constant time) */
  boolean authorized(String header) {
    return header != null && MessageDigest.isEqual(authorization, header.getBytes(StandardCharsets.UTF_8));
  }

  /** @return the body's records or the refused items; pure, callable on a worker */
  IngestBody<T> read(Buffer body, boolean ndjson) {
    return IngestBody.read(body, ndjson, mapping, name);
  }

  /**
   * @param records records read by {@link #read}
   * @return completes when Kafka acknowledged every one; fails with the first failure
   */
  @SuppressWarnings("unchecked")
  Future<Void> produce(SourceSink sink, List<? extends Keyed> records) {
    Topic<T> topic = mapping.topic();
    List<Future<?>> sends = new ArrayList<>(records.size());
    for (Keyed keyed : records) {
      T record = (T) keyed;
      sends.add(sink.send(topic.name(), topic.keySerde().encode(record.key()), topic.encode(record), List.of())
          .onSuccess(outcome -> produced.increment()));
    }
    return Future.all(sends).mapEmpty();
  }
}
