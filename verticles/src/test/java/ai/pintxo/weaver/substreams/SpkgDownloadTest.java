package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.testkit.substreams.TestPackages;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package given by URL is downloaded once, checked, cached on disk, and read from the cache afterwards. */
class SpkgDownloadTest {

  @TempDir
  Path dir;

  @Test
  void downloadsOnceThenReadsTheCachedCopy() throws Exception {
    byte[] spkg = Files.readAllBytes(TestPackages.write(TestPackages.seaport(), dir.resolve("served.spkg")));
    AtomicInteger downloads = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/releases/pintxo-stream-v0.1.0.spkg", exchange -> {
      downloads.incrementAndGet();
      exchange.sendResponseHeaders(200, spkg.length);
      exchange.getResponseBody().write(spkg);
      exchange.close();
    });
    server.createContext("/broken.spkg", exchange -> {
      byte[] html = "<html>not a package</html>".getBytes();
      exchange.sendResponseHeaders(200, html.length);
      exchange.getResponseBody().write(html);
      exchange.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      SpkgLoader loader = new SpkgLoader(dir.resolve("cache"), Duration.ofSeconds(10));
      String url = base + "/releases/pintxo-stream-v0.1.0.spkg";
      SubstreamsPackage first = loader.load(url);
      assertThat(first.outputDescriptor("metrics_out")).isNotNull();
      assertThat(loader.cachePath(url)).exists().hasBinaryContent(spkg);
      SubstreamsPackage again = new SpkgLoader(dir.resolve("cache"), Duration.ofSeconds(10)).load(url);
      assertThat(again.name()).isEqualTo(first.name());
      assertThat(downloads.get()).as("the second load came from the cache").isEqualTo(1);

      assertThatThrownBy(() -> loader.load(base + "/missing.spkg")).isInstanceOf(PackageException.class)
          .hasMessageContaining("/missing.spkg").hasMessageContaining("HTTP 404");
      assertThatThrownBy(() -> loader.load(base + "/broken.spkg")).isInstanceOf(PackageException.class).hasMessageContaining("/broken.spkg");
      assertThat(loader.cachePath(base + "/broken.spkg")).as("what does not parse is not cached").doesNotExist();
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aServerErrorIsRetriedAndOneThatLastsIsRetriableNotAPackageError() throws Exception {
    byte[] spkg = Files.readAllBytes(TestPackages.write(TestPackages.seaport(), dir.resolve("served.spkg")));
    AtomicInteger flaky = new AtomicInteger();
    AtomicInteger down = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/flaky.spkg", exchange -> {
      if (flaky.incrementAndGet() == 1) {
        exchange.sendResponseHeaders(503, -1);
      } else {
        exchange.sendResponseHeaders(200, spkg.length);
        exchange.getResponseBody().write(spkg);
      }
      exchange.close();
    });
    server.createContext("/down.spkg", exchange -> {
      down.incrementAndGet();
      exchange.sendResponseHeaders(502, -1);
      exchange.close();
    });
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    try {
      SpkgLoader loader = new SpkgLoader(dir.resolve("cache"), Duration.ofSeconds(10));
      assertThat(loader.load(base + "/flaky.spkg").outputDescriptor("metrics_out")).isNotNull();
      assertThat(flaky.get()).as("the 503 and the retry that worked").isEqualTo(2);

      assertThatThrownBy(() -> loader.load(base + "/down.spkg")).isInstanceOf(RetriableFailure.class)
          .isNotInstanceOf(PackageException.class).hasMessageContaining("/down.spkg").hasMessageContaining("HTTP 502")
          .satisfies(e -> assertThat(((RetriableFailure) e).status()).isEqualTo(502));
      assertThat(down.get()).as("tried %d times", SpkgLoader.DOWNLOAD_ATTEMPTS).isEqualTo(SpkgLoader.DOWNLOAD_ATTEMPTS);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aTricklingDownloadFailsAtTheTimeoutAndIsRetried() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool()); // a trickle holds its thread
    server.createContext("/slow.spkg", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, 1_000);
      try {
        for (int i = 0; i < 1_000; i++) { // one byte every 100 ms: never idle, done after 100 s
          exchange.getResponseBody().write(0);
          exchange.getResponseBody().flush();
          Thread.sleep(100);
        }
      } catch (java.io.IOException | InterruptedException hungUp) {
        // the loader gave up and closed the connection
      } finally {
        exchange.close();
      }
    });
    server.start();
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/slow.spkg";
    try {
      SpkgLoader loader = new SpkgLoader(dir.resolve("cache"), Duration.ofMillis(700));
      assertThatThrownBy(() -> loader.load(url)).isInstanceOf(ai.pintxo.weaver.codecs.failure.TimeoutFailure.class)
          .hasMessageContaining("/slow.spkg").hasMessageContaining("within 700 ms");
      assertThat(requests.get()).as("tried %d times", SpkgLoader.DOWNLOAD_ATTEMPTS).isEqualTo(SpkgLoader.DOWNLOAD_ATTEMPTS);
      assertThat(loader.cachePath(url)).doesNotExist();
    } finally {
      server.stop(0);
    }
  }
}
