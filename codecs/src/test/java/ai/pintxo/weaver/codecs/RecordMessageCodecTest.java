package ai.pintxo.weaver.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.api.Protocol;
import ai.pintxo.weaver.codecs.api.Token;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The event-bus codec of a topic's records: wire form, local transform, and a real event bus. */
class RecordMessageCodecTest {

  private static final Token TOKEN = new Token("bitcoin", "btc", "Bitcoin", Map.of("ethereum", "0x2260fac5"));

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void wireFormRoundTripsAtAnyPosition() {
    RecordMessageCodec<Token> codec = Token.TOPIC.messageCodec();
    Buffer buffer = Buffer.buffer().appendString("header");
    int pos = buffer.length();

    codec.encodeToWire(buffer, TOKEN);

    byte[] json = Token.TOPIC.encode(TOKEN);
    assertThat(buffer.getInt(pos)).as("length prefix").isEqualTo(json.length);
    assertThat(buffer.length()).isEqualTo(pos + 4 + json.length);
    assertThat(codec.decodeFromWire(pos, buffer)).as("decoded from the wire").isEqualTo(TOKEN);
  }

  @Test
  void transformPassesTheSameInstanceAndNamesAreDistinct() {
    RecordMessageCodec<Token> codec = Token.TOPIC.messageCodec();
    assertThat(codec.transform(TOKEN)).as("immutable records are passed by reference").isSameAs(TOKEN);
    assertThat(codec.type()).isEqualTo(Token.class);
    assertThat(codec.systemCodecID()).isEqualTo((byte) -1);
    assertThat(codec.name()).isEqualTo("weaver:" + Token.class.getName())
        .isNotEqualTo(Protocol.TOPIC.messageCodec().name());
  }

  @Test
  void eventBusDeliversTheRecordWithTheDefaultCodec() throws Exception {
    vertx.eventBus().registerDefaultCodec(Token.class, Token.TOPIC.messageCodec());
    CompletableFuture<Token> received = new CompletableFuture<>();
    vertx.eventBus().<Token>consumer("tokens", (Message<Token> message) -> {
      received.complete(message.body());
      message.reply(new Token(message.body().id() + "-ack", null, null, null));
    }).completion().await();

    Message<Object> reply = vertx.eventBus().request("tokens", TOKEN).await(30, TimeUnit.SECONDS);

    assertThat(received.get(30, TimeUnit.SECONDS)).as("the consumer receives an equal token").isEqualTo(TOKEN);
    assertThat(reply.body()).as("a record can be the reply too").isEqualTo(new Token("bitcoin-ack", null, null, null));
  }

  @Test
  void eventBusCarriesEveryMessageInOrder() throws Exception {
    vertx.eventBus().registerDefaultCodec(Token.class, Token.TOPIC.messageCodec());
    List<Token> sent = List.of(new Token("a", null, null, null), new Token("b", "B", null, null), TOKEN);
    java.util.concurrent.CopyOnWriteArrayList<Token> got = new java.util.concurrent.CopyOnWriteArrayList<>();
    CompletableFuture<Void> done = new CompletableFuture<>();
    vertx.eventBus().<Token>consumer("ordered", m -> {
      got.add(m.body());
      if (got.size() == sent.size()) {
        done.complete(null);
      }
    }).completion().await();

    sent.forEach(t -> vertx.eventBus().send("ordered", t));

    done.get(30, TimeUnit.SECONDS);
    assertThat(got).containsExactlyElementsOf(sent);
  }
}
