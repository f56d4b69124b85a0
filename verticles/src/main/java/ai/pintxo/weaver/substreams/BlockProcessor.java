package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.DeadLetter;
import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.substreams.pb.rpc.v2.BlockScopedData;
import ai.pintxo.weaver.substreams.pb.v1.Clock;
import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@code BlockScopedData} into the block's Kafka records: decodes the output module's
 * {@code Any} (see {@link OutputDecoder}) and maps it with the strategy. Empty outputs (no type URL or
 * no bytes, which skipped blocks and block filters produce) give a block with no records, which still
 * moves the cursor. An output that does not decode or that the strategy refuses becomes one dead
 * letter (raw bytes plus the reason), with one log line and a count; the stream goes on.
 *
 * <p>Not thread-safe; stateless apart from the strategy.
 */
final class BlockProcessor {

  private static final Logger LOG = LoggerFactory.getLogger(BlockProcessor.class);

  private final String substream;
  private final String outputModule;
  private final OutputDecoder decoder;
  private final Strategies.Bound<?> strategy;
  private final String topic;
  private final Runnable onDeadLetter;

  BlockProcessor(String substream, String outputModule, ProtoDescriptors descriptors, Strategies.Bound<?> strategy, Runnable onDeadLetter) {
    this.substream = substream;
    this.outputModule = outputModule;
    this.decoder = new OutputDecoder(descriptors, strategy.strategy().outputType());
    this.strategy = strategy;
    this.topic = strategy.topic().name();
    this.onDeadLetter = onDeadLetter;
  }

  /** @return the block with its records (possibly none) and its cursor */
  PendingBlock process(BlockScopedData data) {
    return process(data, List.of());
  }

  /**
   * @param trace the block's trace context: every record (and dead letter) carries it
   * @return the block with its records (possibly none) and its cursor
   */
  PendingBlock process(BlockScopedData data, List<Header> trace) {
    Clock clock = data.getClock();
    BlockInfo block = new BlockInfo(clock.getNumber(), clock.getId(), clock.getTimestamp().getSeconds());
    Any any = data.getOutput().getMapOutput();
    if (any.getTypeUrl().isEmpty() || any.getValue().isEmpty()) {
      return new PendingBlock(block, data.getCursor(), List.of());
    }
    String stage = "decode";
    try {
      Message message = decoder.decode(any.getTypeUrl(), any.getValue());
      stage = "process";
      List<EncodedRecord> encoded = strategy.encode(block, message);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(encoded.size());
      for (EncodedRecord r : encoded) {
        records.add(new ProducerRecord<>(topic, null, r.key(), r.value(), trace));
      }
      return new PendingBlock(block, data.getCursor(), records);
    } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
      String error = "block " + block.number() + " (" + block.id() + "), module " + outputModule + ", type " + any.getTypeUrl() + ": "
          + e.getMessage();
      LOG.atWarn().addKeyValue("substream", substream).addKeyValue("block", block.number()).addKeyValue("stage", stage)
          .log("substreams.output_rejected: {}", error);
      onDeadLetter.run();
      DeadLetter letter = new DeadLetter(stage, error, 0, RecordOrigin.source("substreams:" + substream + "@" + block.number()), Instant.now());
      ProducerRecord<byte[], byte[]> dlq = new ProducerRecord<>(topic + Topic.DEAD_LETTER_SUFFIX, null,
          (outputModule + ":" + block.number()).getBytes(StandardCharsets.UTF_8), any.getValue().toByteArray(), withTrace(letter, trace));
      return new PendingBlock(block, data.getCursor(), List.of(dlq));
    }
  }

  private static List<Header> withTrace(DeadLetter letter, List<Header> trace) {
    List<Header> headers = letter.toHeaders();
    headers.addAll(trace);
    return headers;
  }
}
