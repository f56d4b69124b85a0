package ai.pintxo.weaver.testkit.activity;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testkit.api.ApiEmulator;
import ai.pintxo.weaver.testkit.api.ApiPayloads;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.pyth.HermesEmulator;
import ai.pintxo.weaver.testkit.pyth.HermesFeed;
import ai.pintxo.weaver.testkit.realtime.TradeStreamEmulator;
import io.vertx.core.Promise;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each HTTP emulator's accounting, seen from a client that names its member in the User-Agent header. */
@ExtendWith(VertxExtension.class)
class EmulatorActivityTest {

  static final Duration DEADLINE = Duration.ofSeconds(10);

  static String agent(String member) {
    return "pintxo-data-weaver (member " + member + ")";
  }

  /** One client, so the later requests reuse the kept-alive connection, as a poller's do. */
  @Test
  void apiRequestsAreAccountedByDataTypeAndMember(Vertx vertx) throws Exception {
    ApiEmulator api = ApiEmulator.start(vertx, new ApiPayloads(1, Map.of("chains", 5, "bridges", 3)), 0).await();
    HttpClient http = vertx.createHttpClient();
    Context context = vertx.getOrCreateContext();
    String chains = api.url("https://api.llama.fi/v2/chains");
    get(context, http, chains, agent("w1"));
    get(context, http, api.url("https://bridges.llama.fi/bridges"), agent("w2"));
    get(context, http, chains, null);

    Await.until("three closed requests", DEADLINE, () -> api.activity().all().stream().filter(a -> !a.isOpen()).count() == 3,
        () -> api.activity().all());
    assertThat(api.activity().all()).extracting(a -> a.unit() + "/" + a.member())
        .containsExactly("chains/w1", "bridges/w2", "chains/" + Activity.UNKNOWN);
    assertThat(api.activity().overlaps()).isEmpty();
  }

  @Test
  void hermesStreamsAreAccountedByFeedSetUntilTheClientHangsUp(Vertx vertx) throws Exception {
    List<HermesFeed> feeds = HermesEmulator.generatedFeeds(3);
    HermesEmulator hermes = HermesEmulator.start(vertx, feeds, 50, 0).await();
    HttpClient http = vertx.createHttpClient();
    String a = feeds.get(0).id();
    String b = feeds.get(1).id();
    HttpClientResponse stream = stream(http, hermes.endpoint() + "/v2/updates/price/stream?ids[]=0x" + b.toUpperCase(Locale.ROOT)
        + "&ids[]=" + a, agent("w3"));
    String key = HermesEmulator.streamKey(List.of(a, b));
    assertThat(key).isEqualTo(HermesEmulator.streamKey(List.of("0x" + b, a))).isNotEqualTo(HermesEmulator.streamKey(List.of(a)));
    assertThat(hermes.activity().all()).singleElement().satisfies(x -> {
      assertThat(x.unit()).isEqualTo(key);
      assertThat(x.member()).isEqualTo("w3");
      assertThat(x.isOpen()).isTrue();
    });
    Await.until("a price of the first feed moved", DEADLINE,
        () -> hermes.latest(a).map(p -> p.publishTime() >= System.currentTimeMillis() / 1000 - 1).orElse(false), () -> hermes.latest(a));

    stream.request().connection().close();
    Await.until("the stream closed", DEADLINE, () -> !hermes.activity().all().get(0).isOpen(), () -> hermes.activity().all());
  }

  @Test
  void tradeStreamsAreAccountedByPathWithTheTradesEachReceived(Vertx vertx) throws Exception {
    TradeStreamEmulator trades = TradeStreamEmulator.start(vertx, List.of("BTCUSDT", "SOLUSDT"), 20).await();
    WebSocketConnectOptions ws = new WebSocketConnectOptions().setAbsoluteURI(trades.webSocketUrl("binance"))
        .addHeader("User-Agent", agent("w1"));
    Promise<Void> traded = Promise.promise();
    WebSocket socket = vertx.createWebSocketClient().connect(ws).await(10, TimeUnit.SECONDS);
    socket.textMessageHandler(text -> {
      if (text.contains("\"e\":\"trade\"")) {
        traded.tryComplete();
      }
    });
    socket.writeTextMessage("{\"method\":\"SUBSCRIBE\",\"params\":[\"btcusdt@trade\"],\"id\":1}");
    traded.future().await(10, TimeUnit.SECONDS);
    HttpClient http = vertx.createHttpClient();
    HttpClientResponse sse = stream(http, trades.namedSseUrl("sol", "SOLUSDT"), agent("w2"));
    Await.until("SOLUSDT trades on the SSE stream", DEADLINE,
        () -> trades.deliveries().stream().anyMatch(d -> d.member().equals("w2") && d.symbol().equals("SOLUSDT")), trades::deliveries);

    assertThat(trades.activity().all()).extracting(x -> x.unit() + "/" + x.member())
        .containsExactly("/ws/binance/w1", "/sse/sol?symbols=SOLUSDT/w2");
    assertThat(trades.deliveries()).allSatisfy(d -> assertThat(d.unit() + d.symbol()).isIn("/ws/binanceBTCUSDT", "/sse/sol?symbols=SOLUSDTSOLUSDT"));
    List<Long> btc = trades.deliveries().stream().filter(d -> d.symbol().equals("BTCUSDT")).map(TradeStreamEmulator.Delivery::tradeId).toList();
    for (int i = 1; i < btc.size(); i++) {
      assertThat(btc.get(i)).as("trade ids rise by one").isEqualTo(btc.get(i - 1) + 1);
    }

    socket.close().await(10, TimeUnit.SECONDS);
    sse.request().connection().close();
    Await.until("both streams closed", DEADLINE, () -> trades.activity().all().stream().noneMatch(Activity::isOpen),
        () -> trades.activity().all());
  }

  private static void get(Context context, HttpClient http, String url, String userAgent) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url);
    if (userAgent != null) {
      options.putHeader("User-Agent", userAgent);
    }
    int status = Await.resultOn(context, () -> http.request(options).compose(req -> req.send())
        .compose(resp -> resp.body().map(b -> resp.statusCode())));
    assertThat(status).as(url).isEqualTo(200);
  }

  /** @return an open event stream's response, once its headers arrived */
  private static HttpClientResponse stream(HttpClient http, String url, String userAgent) throws Exception {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).putHeader("User-Agent", userAgent);
    HttpClientResponse resp = http.request(options).compose(req -> req.send()).await(10, TimeUnit.SECONDS);
    assertThat(resp.statusCode()).as(url).isEqualTo(200);
    resp.handler(chunk -> { }); // keep reading: the stream must not back up
    return resp;
  }
}
