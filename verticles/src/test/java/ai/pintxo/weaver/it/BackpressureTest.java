package ai.pintxo.weaver.it;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.EngineConnectorVerticle;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A slow Vespa and a small buffer bound: the connector pauses the partitions holding buffered
 * records instead of the consumer (so it keeps polling and no rebalance happens), the buffer stays
 * near its bound, and every record is fed.
 */
class BackpressureTest {

  static Pipeline pipeline;

  @BeforeAll
  static void start() throws Exception {
    pipeline = new Pipeline(new ApiPayloads(1, Map.of()));
  }

  @AfterAll
  static void stop() {
    pipeline.close();
  }

  @Test
  void slowVespaPausesPartitionsNotTheConsumer() throws Exception {
    pipeline.probe.createTopics(List.of(Token.TOPIC.name()), 4);
    List<byte[][]> records = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      Token token = new Token("t" + i, "sym", "Token number " + i, null);
      records.add(new byte[][] {Token.TOPIC.keySerde().encode(token.key()), Token.TOPIC.encode(token)});
    }
    pipeline.probe.produce(Token.TOPIC.name(), records);
    pipeline.vespa.faults().latency(2, 8);
    long bound = 64 * 1024;
    EngineConnectorOptions options = pipeline.connectorOptions().setTopics(List.of(Token.TOPIC.name())).setMaxBufferedBytes(bound);
    options.getVespa().setMaxInflight(64);
    pipeline.deploy(() -> new EngineConnectorVerticle(options));

    double maxPaused = 0;
    double maxBuffered = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (pipeline.vespa.count("tokens") < 20_000 && System.nanoTime() < deadline) {
      maxPaused = Math.max(maxPaused, gauge("weaver.connector.paused.partitions"));
      maxBuffered = Math.max(maxBuffered, gauge("weaver.connector.buffered.bytes"));
      Thread.sleep(10);
    }
    assertThat(pipeline.vespa.count("tokens")).as("every record fed").isEqualTo(20_000);
    assertThat(maxPaused).as("partitions were paused for back-pressure").isPositive();
    // A pause takes effect after the poll in flight: up to two polls of 1,000 records (~250 bytes each) overshoot.
    assertThat(maxBuffered).as("buffer near its bound").isLessThan(bound + 2 * 1000 * 260);
    assertThat(pipeline.count("weaver.connector.rebalances")).as("pausing partitions keeps the consumer in its group").isZero();
    Await.until("all committed", Duration.ofSeconds(30),
        () -> pipeline.probe.lag(options.getGroupId(), List.of(Token.TOPIC.name())) == 0, () -> "lag");
  }

  private static double gauge(String name) {
    return pipeline.registry.find(name).gauges().stream().mapToDouble(g -> g.value()).sum();
  }
}
