package ai.pintxo.weaver.feed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.testkit.junit.Await;
import ai.pintxo.weaver.testkit.vespa.VespaEmulator;
import ai.pintxo.weaver.testkit.vespa.VespaEmulatorOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SelfSignedCertificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vespa Cloud's data-plane authentication: an mTLS client certificate over HTTP/2 with ALPN, or a bearer token. */
class VespaAuthenticationTest {

  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    Await.result(vertx.close());
  }

  private static final DocumentUpdate OP = DocumentUpdate.upsert(DocumentId.pintxo("tokens", "secure")).assign("name", "Secure").build();

  private VespaResponse send(VespaFeedOptions options) throws Exception {
    CompletableFuture<VespaResponse> result = new CompletableFuture<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      VespaTransport transport = VespaTransports.create(vertx, options);
      assertThat(transport).isInstanceOf("netty".equals(options.getTransport()) ? NettyHttp2Transport.class : HttpVespaTransport.class);
      transport.send(OP, 10_000).onComplete(ar -> {
        transport.close();
        if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.completeExceptionally(ar.cause());
        }
      });
    });
    return result.get(30, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void mutualTlsWithAClientCertificate(String transport) throws Exception {
    SelfSignedCertificate server = SelfSignedCertificate.create("localhost");
    SelfSignedCertificate client = SelfSignedCertificate.create("weaver-client");
    VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions().setHost("localhost")
        .setTls(server.keyCertOptions(), client.trustOptions())));
    assertThat(vespa.endpoint()).startsWith("https://");
    VespaFeedOptions options = new VespaFeedOptions().setTransport(transport).setEndpoint(vespa.endpoint()).setCaCertificates(server.certificatePath())
        .setCertificate(client.certificatePath()).setPrivateKey(client.privateKeyPath());
    VespaResponse response = send(options);
    assertThat(response.status()).isEqualTo(200);
    assertThat(vespa.document("tokens", "secure").orElseThrow().getString("name")).isEqualTo("Secure");

    VespaFeedOptions noCertificate = new VespaFeedOptions().setTransport(transport).setEndpoint(vespa.endpoint()).setCaCertificates(server.certificatePath());
    Throwable refused = null;
    try {
      send(noCertificate);
    } catch (java.util.concurrent.ExecutionException e) {
      refused = e.getCause();
    }
    assertThat(refused).as("without a client certificate the TLS handshake fails").isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"netty", "vertx"})
  void bearerToken(String transport) throws Exception {
    VespaEmulator vespa = Await.result(VespaEmulator.start(vertx, new VespaEmulatorOptions().setBearerToken("s3cr3t")));
    assertThat(send(new VespaFeedOptions().setTransport(transport).setEndpoint(vespa.endpoint()).setBearerToken("s3cr3t")).status()).isEqualTo(200);
    VespaResponse denied = send(new VespaFeedOptions().setTransport(transport).setEndpoint(vespa.endpoint()).setBearerToken("wrong"));
    assertThat(denied.status()).isEqualTo(401);
    assertThat(denied.message()).contains("Unauthorized");
    assertThat(Future.succeededFuture(vespa.count("tokens")).result()).isEqualTo(1);
  }
}
