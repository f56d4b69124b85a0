package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A substream's meters, tagged {@code substream=<name>}: blocks, records, transactions, reconnects,
 * undo signals, dead letters and progress messages as counters (rates come from the scraper), block
 * number, final block height and head drift as gauges.
 */
final class SubstreamsMetrics {

  final Counter blocks;
  final Counter records;
  final Counter transactions;
  final Counter reconnects;
  final Counter undoSignals;
  final Counter compensations;
  final Counter deadLetters;
  final Counter progressMessages;
  final Counter pauses;
  final AtomicLong blockNumber = new AtomicLong(-1);
  final AtomicLong finalBlockHeight = new AtomicLong(-1);
  final AtomicLong headDriftSeconds = new AtomicLong(0);
  final AtomicLong committedBlock = new AtomicLong(-1);

  SubstreamsMetrics(MeterRegistry registry, String substream) {
    String p = WeaverMetrics.PREFIX + "substreams.";
    blocks = Counter.builder(p + "blocks").description("blocks committed to Kafka").tag("substream", substream).register(registry);
    records = Counter.builder(p + "records").description("records committed to Kafka").tag("substream", substream).register(registry);
    transactions = Counter.builder(p + "transactions").description("Kafka transactions committed").tag("substream", substream).register(registry);
    reconnects = Counter.builder(p + "reconnects").description("stream reconnections").tag("substream", substream).register(registry);
    undoSignals = Counter.builder(p + "undo.signals").description("block undo signals received").tag("substream", substream).register(registry);
    compensations = Counter.builder(p + "compensations").description("compensating records made for undo signals (undoMode propagate)")
        .tag("substream", substream).register(registry);
    deadLetters = Counter.builder(p + "dead.letters").description("outputs that could not be decoded or mapped").tag("substream", substream)
        .register(registry);
    progressMessages = Counter.builder(p + "progress.messages").description("progress messages received").tag("substream", substream)
        .register(registry);
    pauses = Counter.builder(p + "flow.pauses").description("times the stream was paused because Kafka fell behind")
        .tag("substream", substream).register(registry);
    Gauge.builder(p + "block.number", blockNumber, AtomicLong::get).description("last block received").tag("substream", substream).register(registry);
    Gauge.builder(p + "committed.block", committedBlock, AtomicLong::get).description("last block committed to Kafka").tag("substream", substream)
        .register(registry);
    Gauge.builder(p + "final.block.height", finalBlockHeight, AtomicLong::get).description("highest final block reported")
        .tag("substream", substream).register(registry);
    Gauge.builder(p + "head.drift.seconds", headDriftSeconds, AtomicLong::get).description("now minus the last block's time")
        .tag("substream", substream).register(registry);
  }
}
