package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.codecs.RecordOrigin;
import ai.pintxo.weaver.codecs.failure.RetriableFailure;
import ai.pintxo.weaver.codecs.failure.TimeoutFailure;
import ai.pintxo.weaver.codecs.failure.WeaverFailure;
import ai.pintxo.weaver.config.Redact;
import ai.pintxo.weaver.impl.http.Backoff;
import ai.pintxo.weaver.impl.http.HttpFailures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads an {@code .spkg} from a file path or an http(s) URL. Downloads are kept in a cache directory
 * under a name derived from the URL, so a restart (or a release URL that is gone) does not need the
 * network again; a release URL names an immutable artefact.
 *
 * <p>A download that fails in a way that may pass (a transport error, a timeout, 408, 429, 5xx: a
 * {@link RetriableFailure}) is tried {@value #DOWNLOAD_ATTEMPTS} times with {@link Backoff}; if it still
 * fails, that failure is thrown as it is, so the caller can tell "try later" from a wrong URL or a file
 * that is no package ({@link PackageException}).
 *
 * <p>Each download attempt, body included, ends within the loader's {@code timeout}: the JDK client's
 * request timeout only covers the wait for the response's headers, so a server that then trickles would
 * hold start-up forever.
 *
 * <p>Blocking: call it on a worker or the launcher's main thread, never on an event loop.
 */
public final class SpkgLoader {

  private static final Logger LOG = LoggerFactory.getLogger(SpkgLoader.class);
  /** Default cache directory: {@code ~/.cache/weaver/spkg}. */
  public static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "weaver", "spkg");
  /** Attempts of a download before a retriable failure is given up. */
  static final int DOWNLOAD_ATTEMPTS = 3;

  private final Path cacheDir;
  private final Duration timeout;

  /**
   * @param cacheDir where downloads are kept
   * @param timeout  the limit of one download attempt, from the request to the last byte
   */
  public SpkgLoader(Path cacheDir, Duration timeout) {
    this.cacheDir = cacheDir;
    this.timeout = timeout;
  }

  /**
   * @param location a path, {@code file:} URI or http(s) URL
   * @return the parsed package
   * @throws PackageException naming the location when it cannot be read or parsed, or the server refuses it for good
   * @throws RetriableFailure when a download kept failing in a way that may pass later
   */
  public SubstreamsPackage load(String location) {
    return SubstreamsPackage.parse(bytes(location), location);
  }

  /** @return the raw bytes of the package at {@code location} */
  public byte[] bytes(String location) {
    if (location.startsWith("http://") || location.startsWith("https://")) {
      return download(location);
    }
    Path path = location.startsWith("file:") ? Path.of(URI.create(location)) : Path.of(location);
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new PackageException(location + ": cannot read package: " + e, e);
    }
  }

  /** @return where a download of this URL is cached */
  public Path cachePath(String url) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      String file = url.substring(url.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
      return cacheDir.resolve(HexFormat.of().formatHex(digest, 0, 8) + "-" + (file.isEmpty() ? "package.spkg" : file));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] download(String url) {
    Path cached = cachePath(url);
    if (Files.isRegularFile(cached)) {
      try {
        return Files.readAllBytes(cached);
      } catch (IOException e) {
        throw new PackageException(url + ": cannot read cached copy " + cached + ": " + e, e);
      }
    }
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(timeout).build();
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(5));
    for (int attempt = 1; ; attempt++) {
      try {
        return downloadOnce(client, url, cached);
      } catch (RetriableFailure e) {
        if (attempt >= DOWNLOAD_ATTEMPTS) {
          throw e;
        }
        // The server's Retry-After when it gave one (within reason), else the backoff.
        long delay = e.retryAfter().map(Duration::toMillis).filter(ms -> ms > 0 && ms <= 60_000).orElse(backoff.nextDelayMillis());
        LOG.atWarn().addKeyValue("url", Redact.url(url)).addKeyValue("attempt", attempt).addKeyValue("retryInMs", delay)
            .log("substreams.package.download_retry: {}", e.getMessage());
        try {
          Thread.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new PackageException(url + ": download interrupted", interrupted);
        }
      }
    }
  }

  private byte[] downloadOnce(HttpClient client, String url, Path cached) {
    RecordOrigin origin = RecordOrigin.source(Redact.url(url));
    HttpResponse<byte[]> response;
    java.util.concurrent.CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(
        HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      // The whole body within the limit; cancelling the exchange closes its connection (JDK 16+).
      response = exchange.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      exchange.cancel(true);
      throw new TimeoutFailure(origin, timeout, Redact.url(url) + ": download did not complete within " + timeout.toMillis() + " ms", e);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw HttpFailures.transport(origin, cause, timeout, Redact.url(url) + ": download failed");
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw new PackageException(url + ": download interrupted", e);
    }
    if (response.statusCode() != 200) {
      String message = Redact.url(url) + ": download failed with HTTP " + response.statusCode();
      WeaverFailure failure = HttpFailures.status(origin, response.statusCode(),
          response.headers().firstValue("Retry-After").orElse(null), message);
      if (failure instanceof RetriableFailure) {
        throw failure;
      }
      throw new PackageException(message, failure);
    }
    byte[] body = response.body();
    SubstreamsPackage.parse(body, url); // only cache what parses
    try {
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, "download", ".part");
      Files.write(tmp, body);
      Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new PackageException(url + ": cannot keep the download in " + cacheDir + ": " + e, e);
    }
    LOG.atInfo().addKeyValue("url", Redact.url(url)).addKeyValue("bytes", body.length).addKeyValue("cache", cached).log("substreams.package.downloaded");
    return body;
  }
}
