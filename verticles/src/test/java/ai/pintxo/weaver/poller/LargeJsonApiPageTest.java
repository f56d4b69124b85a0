package ai.pintxo.weaver.poller;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.GeckoPool;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.junit.BlockedThreadRecorder;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A JSON:API page of about 14 MB read the way the poller reads it (chunks on the event loop, then
 * {@link ResponseReader#end(ResponseReader.Sink, Vertx)}) on a Vert.x whose blocked-thread checker
 * warns after 100 ms: parsing the whole page on the event loop takes longer than that and fails the
 * test; the page has to be parsed on a worker and its records handed over in small batches.
 */
class LargeJsonApiPageTest {

  static final int CHUNK = 64 * 1024;

  @Test
  @SuppressWarnings("unchecked")
  void aMultiMegabyteJsonApiPageIsParsedOffTheEventLoop() {
    ApiHandler<GeckoPool> handler = (ApiHandler<GeckoPool>) ApiHandlers.installed().forDataType("new_pools_zksync").orElseThrow();
    // Class loading and the first parse happen here, not on the event loop: the checker is to catch the page's size only.
    assertThat(handler.parse(ApiPayloads.jsonApiPage(new ApiPayloads(3, Map.of("new_pools_zksync", 20)).response("new_pools_zksync"), 1, null)
        .toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), "warm-up").records()).hasSize(20);
    int resources = 8_000;
    byte[] body = new ApiPayloads(5, Map.of("new_pools_zksync", resources)).responseBytes("new_pools_zksync");
    assertThat(body.length).as("multi-megabyte, under the page limit").isBetween(8 << 20, JsonApiHandler.MAX_PAGE_BYTES);

    BlockedThreadRecorder blocked = BlockedThreadRecorder.install();
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(100).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    try {
      AtomicInteger records = new AtomicInteger();
      List<String> offLoop = new CopyOnWriteArrayList<>();
      ResponseReader.Sink<GeckoPool> sink = new ResponseReader.Sink<>() {
        @Override
        public void record(GeckoPool record) {
          if (!Context.isOnEventLoopThread()) {
            offLoop.add(Thread.currentThread().getName());
          }
          records.incrementAndGet();
        }

        @Override
        public void failure(ParsedResponse.ItemFailure failure) {
          throw new AssertionError("unexpected item failure: " + failure.error().getMessage());
        }
      };
      Context context = vertx.getOrCreateContext();
      Promise<Optional<String>> done = Promise.promise();
      context.runOnContext(v -> {
        ResponseReader<GeckoPool> reader = handler.reader("https://api.geckoterminal.com/big-page");
        feed(context, reader, body, 0, sink).compose(x -> reader.end(sink, vertx)).onComplete(done);
      });
      Optional<String> next = Await.result(done.future());

      assertThat(next).as("the whole document is one page").isEmpty();
      assertThat(records.get()).isEqualTo(resources);
      assertThat(offLoop).as("records reach the sink on the event loop").isEmpty();
      assertThat(blocked.warnings()).as("the event loop was never blocked for 100 ms").isEmpty();
    } finally {
      Await.result(vertx.close());
      blocked.uninstall();
    }
  }

  /** Feeds the body in network-sized chunks, one per event-loop turn, as an HTTP response arrives. */
  private static Future<Void> feed(Context context, ResponseReader<GeckoPool> reader, byte[] body, int from,
                                   ResponseReader.Sink<GeckoPool> sink) {
    if (from >= body.length) {
      return Future.succeededFuture();
    }
    reader.feed(Arrays.copyOfRange(body, from, Math.min(body.length, from + CHUNK)), sink);
    Promise<Void> rest = Promise.promise();
    context.runOnContext(v -> feed(context, reader, body, from + CHUNK, sink).onComplete(rest));
    return rest.future();
  }
}
