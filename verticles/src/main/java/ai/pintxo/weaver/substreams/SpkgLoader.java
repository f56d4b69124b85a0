package ai.pintxo.weaver.substreams;

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
 * <p>Blocking: call it on a worker or the launcher's main thread, never on an event loop.
 */
public final class SpkgLoader {

  private static final Logger LOG = LoggerFactory.getLogger(SpkgLoader.class);
  /** Default cache directory: {@code ~/.cache/weaver/spkg}. */
  public static final Path DEFAULT_CACHE = Path.of(System.getProperty("user.home"), ".cache", "weaver", "spkg");

  private final Path cacheDir;
  private final Duration timeout;

  public SpkgLoader(Path cacheDir, Duration timeout) {
    this.cacheDir = cacheDir;
    this.timeout = timeout;
  }

  /**
   * @param location a path, {@code file:} URI or http(s) URL
   * @return the parsed package
   * @throws PackageException naming the location when it cannot be read or parsed
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
    try {
      HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        throw new PackageException(url + ": download failed with HTTP " + response.statusCode());
      }
      byte[] body = response.body();
      SubstreamsPackage.parse(body, url); // only cache what parses
      Files.createDirectories(cacheDir);
      Path tmp = Files.createTempFile(cacheDir, "download", ".part");
      Files.write(tmp, body);
      Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      LOG.atInfo().addKeyValue("url", url).addKeyValue("bytes", body.length).addKeyValue("cache", cached).log("substreams.package.downloaded");
      return body;
    } catch (IOException e) {
      throw new PackageException(url + ": download failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackageException(url + ": download interrupted", e);
    }
  }
}
