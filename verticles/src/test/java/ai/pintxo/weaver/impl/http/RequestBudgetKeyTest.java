package ai.pintxo.weaver.impl.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.testkit.junit.Await;
import io.vertx.core.Vertx;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestBudgetKeyTest {

  @Test
  void defaultPortsAreResolvedAndHostsLowerCased() {
    assertThat(RequestBudget.key(URI.create("https://hermes.pyth.network/v2/updates/price/stream?ids[]=x")))
        .isEqualTo("hermes.pyth.network:443")
        .isEqualTo(RequestBudget.key(URI.create("https://Hermes.Pyth.Network:443/v2/price_feeds")))
        .isEqualTo(RequestBudget.key(URI.create("wss://hermes.pyth.network/ws")));
    assertThat(RequestBudget.key(URI.create("http://api.llama.fi/protocols")))
        .isEqualTo("api.llama.fi:80")
        .isEqualTo(RequestBudget.key(URI.create("http://api.llama.fi:80/v2/chains")))
        .isEqualTo(RequestBudget.key(URI.create("ws://api.llama.fi/stream")));
    assertThat(RequestBudget.key(URI.create("http://127.0.0.1:8080/x"))).isEqualTo("127.0.0.1:8080");
    assertThat(RequestBudget.key(URI.create("https://host:8443/x"))).isNotEqualTo(RequestBudget.key(URI.create("https://host/x")));
  }

  @Test
  void aUrlWithoutHostOrDefaultPortIsRefused() {
    assertThatThrownBy(() -> RequestBudget.key(URI.create("file:///tmp/x"))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestBudget.key(URI.create("ftp://host/x"))).hasMessageContaining("no default port");
  }

  @Test
  void pythAndARestEndpointOnTheSameHostShareOneBudget() {
    // Pyth's URL has no port, the endpoints file names :443; Pyth used URI.getPort() (-1) and never shared.
    Vertx vertx = Vertx.vertx();
    try {
      RequestBudget pyth = RequestBudget.forUrl(vertx, URI.create("https://hermes.example/v2/updates/price/stream"), 10,
          Duration.ofSeconds(10));
      RequestBudget rest = RequestBudget.forUrl(vertx, URI.create("https://HERMES.example:443/v2/price_feeds"), 10,
          Duration.ofSeconds(10));
      RequestBudget other = RequestBudget.forUrl(vertx, URI.create("https://other.example/v2"), 10, Duration.ofSeconds(10));
      assertThat(rest).isSameAs(pyth);

      pyth.lockout(Duration.ofMinutes(1));
      assertThat(rest.lockedForNanos()).as("a 429 seen by Pyth locks the REST endpoint out too").isPositive();
      assertThat(rest.tryAcquire()).isPositive();
      assertThat(other.tryAcquire()).as("another host is not affected").isZero();
    } finally {
      Await.result(vertx.close());
    }
  }
}
