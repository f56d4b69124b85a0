package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.substreams.SubstreamsCursor;
import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import ai.pintxo.weaver.substreams.strategies.SeaportStrategy;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import ai.pintxo.weaver.testkit.substreams.SubstreamsEmulatorOptions;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The two measurements of the Substreams throughput bench, on one {@link Harness} (one broker):
 * <ul>
 *   <li><b>pipeline</b>: the emulator streams the seaport package's {@code metrics_out} →
 *       {@link SubstreamsVerticle} (gRPC, decode, {@code SeaportStrategy}, JSON, transactional
 *       produce with the cursor), from deployment until every block is committed;</li>
 *   <li><b>raw</b>: the same records (keys and values as the pipeline encodes them, made before the
 *       clock starts) produced by a {@link TransactionalSink}, the pipeline's own producer with its
 *       settings, in transactions of {@code maxBatchBlocks} blocks plus a cursor, one after the
 *       other: no gRPC, no decoding, no strategy. The pipeline cannot beat it on this broker; it is
 *       the limit the pipeline is measured against.</li>
 * </ul>
 * Used by {@link SubstreamsThroughputBench} (figures) and {@link SubstreamsThroughputBenchSmokeTest} (CI).
 */
final class SubstreamsThroughput {

  /** Distinct blocks the raw run cycles through (their records are kept in memory). */
  static final int RAW_DISTINCT_BLOCKS = 2_000;

  /**
   * One measured run.
   *
   * @param kind          {@code raw} or {@code pipeline}
   * @param topic         where its records went
   * @param blocks        blocks committed
   * @param records       records committed
   * @param seconds       wall time, start-up included (pipeline: deployment, consumer group, gRPC call;
   *                      raw: the producer's {@code initTransactions})
   * @param steadyBlocks  blocks committed after the first transaction
   * @param steadySeconds from the first transaction's commit to the last's: the rate once streaming
   */
  record Run(String kind, String topic, long blocks, long records, double seconds, long steadyBlocks, double steadySeconds) {

    double blocksPerSecond() {
      return blocks / seconds;
    }

    double recordsPerSecond() {
      return records / seconds;
    }

    double steadyBlocksPerSecond() {
      return steadyBlocks / steadySeconds;
    }

    double steadyRecordsPerSecond() {
      return steadyBlocksPerSecond() * records / blocks;
    }
  }

  private final Harness h;
  private final int perBlock;

  /** Starts an emulator streaming {@code perBlock} seaport metrics per block. */
  SubstreamsThroughput(Harness h, int perBlock) {
    this.h = h;
    this.perBlock = perBlock;
    h.emulator(new SubstreamsEmulatorOptions().setOutputs(Payloads.seaport(perBlock, 0)).setProgressIntervalMillis(1000));
  }

  /** Streams blocks {@code [0, blocks)} through a new substream of that name. */
  Run pipeline(String name, long blocks) {
    long start = System.nanoTime();
    SubstreamsOptions options = h.options(name, TestPackages.seaport(), "SeaportStrategy", "metrics_out", blocks);
    SubstreamsVerticle v = h.deploy(options);
    long firstCommit = 0;
    double firstBlocks = 0;
    while (!v.completion().isComplete()) {
      if (firstCommit == 0) {
        // the committed-blocks counter moves when a transaction committed: the first one starts the steady clock
        firstBlocks = committedBlocks(name);
        if (firstBlocks > 0) {
          firstCommit = System.nanoTime();
        }
      }
      SubstreamsStreamTest.sleep(2);
    }
    Await.result(v.completion());
    long end = System.nanoTime();
    if (firstCommit == 0) {
      firstCommit = start;
    }
    return new Run("pipeline", options.topic(), blocks, blocks * perBlock, (end - start) / 1e9, blocks - (long) firstBlocks,
        (end - firstCommit) / 1e9);
  }

  /** Produces the records of {@code blocks} blocks as the pipeline would, with its sink, in full transactions. */
  Run raw(String name, long blocks) {
    String topic = name + "-substreams-topic";
    h.probe.createTopics(List.of(topic), h.kafkaOptions().getTopicPartitions());
    Strategies.Bound<?> bound = Strategies.bind(new SeaportStrategy(), topic);
    int distinct = (int) Math.min(blocks, RAW_DISTINCT_BLOCKS);
    List<PendingBlock> cycle = new ArrayList<>(distinct);
    for (long n = 0; n < distinct; n++) {
      BlockInfo block = new BlockInfo(n, "0x" + Long.toHexString(n), 1_700_000_000L + n);
      List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(perBlock);
      for (EncodedRecord r : bound.encode(block, Payloads.seaportMetrics(n, 0, perBlock))) {
        records.add(new ProducerRecord<>(topic, null, r.key(), r.value(), List.of()));
      }
      cycle.add(new PendingBlock(block, "cursor-" + n, records));
    }
    SubstreamsOptions defaults = new SubstreamsOptions();
    int batchBlocks = defaults.getMaxBatchBlocks();
    long start = System.nanoTime();
    TransactionalSink sink = new TransactionalSink(h.vertx, h.kafkaOptions(), CursorStore.transactionalId(name), defaults.getCursorTopic());
    try {
      Await.result(sink.start());
      long firstCommit = 0;
      for (long first = 0; first < blocks; first += batchBlocks) {
        List<PendingBlock> batch = new ArrayList<>(batchBlocks);
        for (long n = first; n < Math.min(blocks, first + batchBlocks); n++) {
          batch.add(cycle.get((int) (n % distinct)));
        }
        PendingBlock last = batch.get(batch.size() - 1);
        SubstreamsCursor cursor = new SubstreamsCursor(name, last.cursor(), last.block().number(), last.block().id(), "metrics_out", "raw",
            System.currentTimeMillis());
        Await.result(sink.commit(batch, cursor, SubstreamsCursor.TOPIC.encode(cursor)));
        if (firstCommit == 0) {
          firstCommit = System.nanoTime();
        }
      }
      long end = System.nanoTime();
      return new Run("raw", topic, blocks, blocks * perBlock, (end - start) / 1e9, Math.max(0, blocks - batchBlocks), (end - firstCommit) / 1e9);
    } finally {
      Await.result(sink.close());
    }
  }

  private double committedBlocks(String substream) {
    return h.registry.find(WeaverMetrics.PREFIX + "substreams.blocks").tag("substream", substream).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  /** @return the document id of metric {@code i} of block {@code n}, as the pipeline keys it */
  static String key(long n, int i) {
    return new SeaportStrategy().metric(Payloads.seaportKey(n, i), "").id();
  }
}
