package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A price that arrives behind a backlog of bulk documents is written before the backlog: the real
 * feeder, one request in flight, against the Vespa emulator; the order is the order of the writes the
 * emulator accepted.
 */
class UrgentLaneTest {

  private static final int BULK = 20;

  private Vertx vertx;
  private VespaEmulator vespa;
  private final List<String> written = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
    vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions()));
    vespa.onWrite((type, id, fields) -> written.add(id));
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  /** Feeds {@link #BULK} bulk documents, then the price, and waits for all of them. */
  private void feedBacklogThenPrice(boolean priceUrgent) {
    Context context = vertx.getOrCreateContext();
    VespaFeedOptions options = new VespaFeedOptions().setEndpoint(vespa.endpoint()).setMaxInflight(1).setMinInflight(1).setInitialInflight(1);
    DocumentFeeder feeder = Await.on(context, () -> new DocumentFeeder(vertx, new HttpVespaTransport(vertx, options), options,
        new FeedMetrics(new SimpleMeterRegistry(), "urgent-lane-test")));
    List<Future<FeedOutcome>> outcomes = Await.on(context, () -> {
      List<Future<FeedOutcome>> all = new ArrayList<>();
      for (int i = 0; i < BULK; i++) {
        all.add(feeder.feed(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "bulk-" + i)).assign("name", "Bulk " + i).build()));
      }
      all.add(feeder.feed(DocumentUpdate.upsert(DocumentId.pintxo("tokens", "price")).assign("name", "Live").build(),
          io.opentelemetry.api.trace.Span.getInvalid(), priceUrgent));
      return all;
    });
    for (Future<FeedOutcome> outcome : outcomes) {
      assertThat(Await.result(outcome).success()).isTrue();
    }
    Await.result(Await.on(context, feeder::close));
  }

  @Test
  void anUrgentPriceGoesBeforeTheWaitingBulkDocuments() {
    feedBacklogThenPrice(true);
    assertThat(written).hasSize(BULK + 1);
    // The first bulk document was already in flight when the price came; the price takes the next slot.
    assertThat(written.get(0)).isEqualTo("bulk-0");
    assertThat(written.get(1)).isEqualTo("price");
    assertThat(vespa.count("tokens")).isEqualTo(BULK + 1);
  }

  @Test
  void withoutTheLaneThePriceWaitsForTheBacklog() {
    feedBacklogThenPrice(false);
    assertThat(written).hasSize(BULK + 1);
    assertThat(written.get(BULK)).isEqualTo("price");
  }
}
