package ai.pintxo.weaver.cluster;

import ai.pintxo.weaver.impl.kafka.KafkaClients;
import ai.pintxo.weaver.kafka.KafkaOptions;
import ai.pintxo.weaver.pipeline.PipelineBoard;
import ai.pintxo.weaver.pipeline.PipelineControl;
import ai.pintxo.weaver.pipeline.UnitReporter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaReadStream;
import io.vertx.kafka.client.producer.KafkaWriteStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a source instance its share of its pipeline's units of work, and takes them back.
 *
 * <p>Shared ({@code cluster.enabled}, the default): the instance joins the consumer group
 * {@code <group>.<pipeline>} over the pipeline's {@link UnitTopic} with cooperative sticky
 * assignment, so across every instance of every weaver process on the Kafka cluster each unit runs
 * in exactly one place; when a member joins, leaves or crashes (after {@code sessionTimeout}),
 * units move. A unit taken away is stopped before the rebalance completes (up to
 * {@code revokeTimeout}), so it never runs in two places at once. Like Kafka Connect's tasks, with
 * Kafka's own group coordinator as the engine.
 *
 * <p>Local: every unit runs in this process, unit i on instance i mod n.
 *
 * <p>Threading: start and stop on the source's context; the worker is called there.
 */
public final class Units implements PipelineControl {

  private static final Logger LOG = LoggerFactory.getLogger(Units.class);

  private final Vertx vertx;
  private final Context context;
  private final KafkaOptions kafka;
  private final ClusterOptions cluster;
  private final String pipeline;
  private final String type;
  private final List<String> units;
  private final UnitWorker worker;
  private final String condition;
  /** Units this instance owns, written on the consumer thread and the context. */
  private final Set<String> owned = ConcurrentHashMap.newKeySet();
  /** Context only: each owned unit's start, which a stop waits for (absent while paused). */
  private final Map<String, Future<Void>> started = new HashMap<>();
  /** Context only: each owned unit's reporter. */
  private final Map<String, UnitReporter> reporters = new HashMap<>();
  private PipelineBoard board;
  private KafkaReadStream<byte[], byte[]> member;
  private Future<KafkaWriteStream<byte[], byte[]>> checkpoints;
  /** Completes at the first assignment (this instance's units started), or when joining takes too long. */
  private final io.vertx.core.Promise<Void> joined = io.vertx.core.Promise.promise();
  private volatile boolean stopping;

  /**
   * @param type  the verticle type, the pipeline's name when {@code cluster.pipeline} is empty
   * @param units every unit of the pipeline, the same in every process with the same config
   */
  public Units(Vertx vertx, KafkaOptions kafka, ClusterOptions cluster, String type, Collection<String> units, UnitWorker worker) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.kafka = kafka;
    this.cluster = cluster;
    this.type = type;
    this.units = List.copyOf(new TreeSet<>(units));
    this.pipeline = cluster.pipeline(defaultPipeline(type, this.units));
    this.worker = worker;
    this.condition = pipeline + "/membership/" + UUID.randomUUID().toString().substring(0, 8);
  }

  /**
   * A verticle deployed from Java without a pipeline name is named after its type and its units, so
   * two sources of one type with different configs in one application do not take each other's
   * units, while the same config in several processes still shares them.
   */
  static String defaultPipeline(String type, List<String> units) {
    int hash = String.join("\n", units).hashCode();
    return type + "-" + String.format("%08x", hash);
  }

  /** @return the pipeline's name */
  public String pipeline() {
    return pipeline;
  }

  /** @return the member name reported as the owner */
  public String member() {
    return cluster.member();
  }

  /** @return the units this instance runs now */
  public Set<String> owned() {
    return Set.copyOf(owned);
  }

  /** @return every unit of the pipeline, sorted */
  public List<String> all() {
    return units;
  }

  /**
   * Joins the group (shared) or starts this instance's units (local).
   *
   * @return completes once this instance's first units were started (so a deployment that completed
   *     can be asked to poll), or after {@code sessionTimeout} when the group is slow to form (the units
   *     then start when Kafka assigns them)
   */
  public Future<Void> start() {
    board = PipelineBoard.of(vertx);
    board.declare(pipeline, type, units);
    board.control(pipeline, this);
    if (!cluster.isEnabled()) {
      return startLocal();
    }
    String topic = UnitTopic.name(cluster.getGroup(), pipeline);
    String groupId = cluster.getGroup() + "." + pipeline;
    board.condition(condition, () -> "waiting to join group " + groupId);
    return UnitTopic.ensure(vertx, kafka, topic, units.size())
        .compose(v -> vertx.executeBlocking(() -> new UnitConsumer(consumerConfig(groupId), new Rebalance())))
        .compose(consumer -> {
          member = KafkaClients.readStream(vertx, consumer);
          member.exceptionHandler(err -> LOG.atWarn().addKeyValue("pipeline", pipeline).log("units.member_failed: {}", err.toString()));
          member.handler(record -> {
            // the topic carries no records; its partitions are the units
          });
          return member.subscribe(Set.of(topic));
        })
        .compose(v -> {
          LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("group", groupId).addKeyValue("units", units.size())
              .addKeyValue("member", cluster.member()).log("units.joining");
          long wait = Math.max(10_000, cluster.getSessionTimeout().toMillis());
          long timer = vertx.setTimer(wait, t -> {
            if (joined.tryComplete()) {
              LOG.atWarn().addKeyValue("pipeline", pipeline).addKeyValue("group", groupId).addKeyValue("waitedMs", wait)
                  .log("units.join_slow: no assignment yet (is Kafka reachable?); units start when it comes");
            }
          });
          return joined.future().onComplete(ar -> vertx.cancelTimer(timer));
        });
  }

  private Map<String, Object> consumerConfig(String groupId) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("group.id", groupId);
    config.put("enable.auto.commit", "false");
    config.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
    config.put("session.timeout.ms", Long.toString(cluster.getSessionTimeout().toMillis()));
    config.put("heartbeat.interval.ms", Long.toString(Math.max(100, cluster.getSessionTimeout().toMillis() / 5)));
    config.put("client.id", "weaver-units-" + pipeline + "-" + cluster.member() + "-" + condition.substring(condition.lastIndexOf('/') + 1));
    return config;
  }

  private Future<Void> startLocal() {
    int instances = Math.max(1, context.getInstanceCount());
    Future<Long> index = instances == 1 ? Future.succeededFuture(0L)
        : vertx.sharedData().getLocalCounter("weaver.units." + context.deploymentID()).compose(c -> c.getAndIncrement());
    return index.map(i -> {
      for (int u = 0; u < units.size(); u++) {
        if (u % instances == i) {
          owned.add(units.get(u));
          startUnit(units.get(u));
        }
      }
      LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("instance", i).addKeyValue("of", instances)
          .addKeyValue("units", new TreeSet<>(owned)).log("units.local");
      return null;
    });
  }

  /** The unit is now owned here: runs it, or reports it paused while the pipeline is. */
  private void startUnit(String unit) {
    UnitReporter reporter = reporters.computeIfAbsent(unit, u -> board.register(pipeline, u, cluster.member()));
    String pausedBecause = board.pausedReason(pipeline);
    if (pausedBecause != null) {
      reporter.paused(pausedBecause);
      return;
    }
    run(unit, reporter);
  }

  private void run(String unit, UnitReporter reporter) {
    Future<Void> start;
    try {
      start = worker.startUnit(unit, reporter);
    } catch (RuntimeException e) {
      start = Future.failedFuture(e);
    }
    started.put(unit, start.recover(err -> {
      LOG.atError().addKeyValue("pipeline", pipeline).addKeyValue("unit", unit).log("unit.start_failed: {}", err.getMessage());
      reporter.stopped("failed to start: " + err.getMessage());
      return Future.succeededFuture();
    }));
  }

  /** The unit leaves this process. */
  private Future<Void> stopUnit(String unit) {
    owned.remove(unit);
    UnitReporter reporter = reporters.remove(unit);
    return halt(unit).onComplete(ar -> {
      if (reporter != null) {
        reporter.close();
      }
    });
  }

  /** Stops the unit's work; it may stay owned (paused). */
  private Future<Void> halt(String unit) {
    Future<Void> start = started.remove(unit);
    if (start == null) {
      return Future.succeededFuture();
    }
    return start.compose(v -> worker.stopUnit(unit)).recover(err -> {
      LOG.atWarn().addKeyValue("pipeline", pipeline).addKeyValue("unit", unit).log("unit.stop_failed: {}", err.toString());
      return Future.succeededFuture();
    });
  }

  @Override
  public void pause(String reason) {
    context.runOnContext(v -> {
      for (Map.Entry<String, UnitReporter> e : Map.copyOf(reporters).entrySet()) {
        halt(e.getKey()).onComplete(ar -> {
          if (reporters.get(e.getKey()) == e.getValue()) {
            e.getValue().paused(reason);
          }
        });
      }
      LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("units", new TreeSet<>(reporters.keySet())).addKeyValue("reason", reason)
          .log("units.paused");
    });
  }

  @Override
  public void resume() {
    context.runOnContext(v -> {
      for (Map.Entry<String, UnitReporter> e : Map.copyOf(reporters).entrySet()) {
        if (!started.containsKey(e.getKey())) {
          e.getValue().resumed();
          run(e.getKey(), e.getValue());
        }
      }
      LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("units", new TreeSet<>(reporters.keySet())).log("units.resumed");
    });
  }

  /**
   * Records where a unit stands (for the poller: when it last polled), so that the next owner after
   * a move continues from there instead of starting over. Kept as the latest record of the unit's
   * partition of the units topic (compacted; one key per partition).
   *
   * @param value the checkpoint; null clears it
   * @return completes when Kafka acknowledged it; without a group, at once
   */
  public Future<Void> checkpoint(String unit, byte[] value) {
    int partition = units.indexOf(unit);
    if (!cluster.isEnabled() || partition < 0) {
      return Future.succeededFuture();
    }
    if (checkpoints == null) {
      // One producer, created once: the future is kept, so calls made while it is being built share it.
      checkpoints = vertx.executeBlocking(() -> KafkaClients.producer(vertx, kafka, "weaver-units-" + pipeline + "-" + cluster.member()));
    }
    return checkpoints.compose(p -> p.send(new ProducerRecord<>(UnitTopic.name(cluster.getGroup(), pipeline), partition,
        unit.getBytes(StandardCharsets.UTF_8), value))).mapEmpty();
  }

  /**
   * A clean shutdown clears the checkpoints of the units it gives up (tombstones): the next owner
   * starts them afresh, as a restarted process always did. A unit moved by a rebalance or taken
   * from a crashed process keeps its checkpoint, so the next owner continues its schedule.
   */
  private Future<Void> released(List<String> leaving) {
    if (checkpoints == null || leaving.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Future<Void>> writes = new ArrayList<>();
    for (String unit : leaving) {
      writes.add(checkpoint(unit, null));
    }
    return Future.join(writes).<Void>mapEmpty().recover(err -> Future.succeededFuture());
  }

  /** @return the unit's last checkpoint, written by whichever member ran it last; empty when none or without a group */
  public Future<Optional<byte[]>> lastCheckpoint(String unit) {
    int partition = units.indexOf(unit);
    if (!cluster.isEnabled() || partition < 0) {
      return Future.succeededFuture(Optional.empty());
    }
    String topic = UnitTopic.name(cluster.getGroup(), pipeline);
    // A short-lived reader on a worker thread: a move is rare, and the record is one fetch away.
    return vertx.executeBlocking(() -> {
      Map<String, Object> config = new HashMap<>(kafka.clientConfig());
      config.put("enable.auto.commit", "false");
      config.put("client.id", "weaver-units-checkpoint-" + pipeline);
      try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        TopicPartition tp = new TopicPartition(topic, partition);
        reader.assign(List.of(tp));
        reader.seekToEnd(List.of(tp));
        long end = reader.position(tp, Duration.ofSeconds(10));
        if (end == 0) {
          return Optional.<byte[]>empty();
        }
        reader.seek(tp, end - 1);
        long deadline = System.nanoTime() + 5_000_000_000L;
        byte[] last = null;
        while (System.nanoTime() < deadline && reader.position(tp) < end) {
          for (var record : reader.poll(Duration.ofMillis(200))) {
            last = record.value();
          }
        }
        return Optional.ofNullable(last);
      }
    });
  }

  /** Stops this instance's units, then leaves the group: the others take them over at once. */
  public Future<Void> stop() {
    stopping = true;
    List<Future<Void>> stops = new ArrayList<>();
    List<String> leaving = List.copyOf(reporters.keySet());
    for (String unit : leaving) {
      stops.add(stopUnit(unit));
    }
    if (board != null) {
      board.removeCondition(condition);
      board.removeControl(pipeline, this);
    }
    return Future.join(stops)
        .transform(ar -> released(leaving))
        .transform(ar -> checkpoints == null ? Future.<Void>succeededFuture()
            : checkpoints.compose(KafkaWriteStream::close).recover(err -> Future.succeededFuture()))
        .transform(ar -> member == null ? Future.<Void>succeededFuture() : member.close().recover(err -> Future.succeededFuture()));
  }

  private String unitOf(TopicPartition partition) {
    return partition.partition() < units.size() ? units.get(partition.partition()) : null;
  }

  /** Runs on the consumer thread, inside poll. */
  private final class Rebalance implements UnitConsumer.Rebalance {

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
      List<String> leaving = new ArrayList<>();
      for (TopicPartition p : partitions) {
        String unit = unitOf(p);
        if (unit != null && owned.contains(unit)) {
          leaving.add(unit);
        }
      }
      if (leaving.isEmpty()) {
        return;
      }
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      context.runOnContext(v -> {
        List<Future<Void>> stops = new ArrayList<>();
        leaving.forEach(unit -> stops.add(stopUnit(unit)));
        Future.join(stops).onComplete(ar -> stopped.complete(null));
      });
      long startNanos = System.nanoTime();
      try {
        // Waiting here holds the rebalance: nobody else gets these units until they stopped here.
        stopped.get(cluster.getRevokeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("units", leaving)
            .addKeyValue("ms", (System.nanoTime() - startNanos) / 1_000_000).log("units.revoked");
      } catch (java.util.concurrent.TimeoutException e) {
        LOG.atWarn().addKeyValue("pipeline", pipeline).addKeyValue("units", leaving)
            .log("units.revoke_timeout: not stopped within {}; letting the rebalance go on", cluster.getRevokeTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (java.util.concurrent.ExecutionException e) {
        // never completed exceptionally
      }
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
      board.removeCondition(condition);
      List<String> arriving = new ArrayList<>();
      for (TopicPartition p : partitions) {
        String unit = unitOf(p);
        if (unit != null && owned.add(unit)) {
          arriving.add(unit);
        }
      }
      if (arriving.isEmpty() || stopping) {
        context.runOnContext(v -> joined.tryComplete());
        return;
      }
      LOG.atInfo().addKeyValue("pipeline", pipeline).addKeyValue("units", arriving).addKeyValue("member", cluster.member())
          .log("units.assigned");
      context.runOnContext(v -> {
        arriving.forEach(Units.this::startUnit);
        joined.tryComplete();
      });
    }
  }
}
