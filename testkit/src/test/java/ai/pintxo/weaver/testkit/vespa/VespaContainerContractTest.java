package ai.pintxo.weaver.testkit.vespa;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The /document/v1 contract against a real Vespa: the image docker-compose.yml pins, with {@code ops/vespa}
 * deployed through the config server ({@code prepareandactivate} on 19071), fed on 8080. Needs a Docker
 * engine; without one JUnit reports every case as skipped ("disabledWithoutDocker is true and Docker is not
 * available"), which is what happens on the machines this project is built on. CI's docker job runs it.
 * Vespa takes one to three minutes to start and wants about 4 GiB of memory.
 */
@Testcontainers(disabledWithoutDocker = true)
class VespaContainerContractTest extends VespaDocumentV1Contract {

  private static final Logger LOG = LoggerFactory.getLogger(VespaContainerContractTest.class);
  private static final Path PROJECT = Path.of(System.getProperty("weaver.project.dir", "..")).toAbsolutePath().normalize();
  private static final int FEED_PORT = 8080;
  private static final int CONFIG_PORT = 19071;

  @Container
  @SuppressWarnings("resource") // closed by the Testcontainers extension
  static final GenericContainer<?> VESPA = new GenericContainer<>(DockerImageName.parse(composeVespaImage()))
      .withExposedPorts(FEED_PORT, CONFIG_PORT)
      .waitingFor(Wait.forHttp("/state/v1/health").forPort(CONFIG_PORT).forStatusCode(200))
      .withStartupTimeout(Duration.ofMinutes(5));

  @BeforeAll
  static void deployApplicationPackage() throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI deploy = URI.create("http://" + VESPA.getHost() + ":" + VESPA.getMappedPort(CONFIG_PORT)
        + "/application/v2/tenant/default/prepareandactivate");
    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(deploy).header("Content-Type", "application/zip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(zip(PROJECT.resolve("ops/vespa")))).timeout(Duration.ofMinutes(3)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("deploying ops/vespa failed: " + answer.statusCode() + " " + answer.body());
    }
    URI health = URI.create("http://" + VESPA.getHost() + ":" + VESPA.getMappedPort(FEED_PORT) + "/state/v1/health");
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> up = client.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (up.statusCode() == 200 && up.body().contains("\"up\"")) {
          LOG.atInfo().addKeyValue("image", VESPA.getDockerImageName()).log("vespa.contract.ready");
          return;
        }
      } catch (IOException notYet) {
        // the container is still starting
      }
      Thread.sleep(2000);
    }
    throw new IllegalStateException("Vespa's container did not come up on " + FEED_PORT + " within 5 minutes");
  }

  @Override
  URI baseUrl() {
    return URI.create("http://" + VESPA.getHost() + ":" + VESPA.getMappedPort(FEED_PORT));
  }

  /** @return the Vespa image docker-compose.yml pins: one version for the stack and its contract */
  static String composeVespaImage() {
    try {
      Matcher m = Pattern.compile("image:\\s*(vespaengine/vespa:\\S+)").matcher(Files.readString(PROJECT.resolve("docker-compose.yml")));
      if (!m.find()) {
        throw new IllegalStateException("docker-compose.yml names no vespaengine/vespa image");
      }
      return m.group(1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the application package as a zip, paths relative to its root, as {@code vespa deploy} sends it */
  static byte[] zip(Path dir) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(out); Stream<Path> files = Files.walk(dir)) {
      List<Path> regular = files.filter(Files::isRegularFile).sorted().toList();
      for (Path file : regular) {
        zip.putNextEntry(new ZipEntry(dir.relativize(file).toString().replace('\\', '/')));
        zip.write(Files.readAllBytes(file));
        zip.closeEntry();
      }
    }
    return out.toByteArray();
  }
}
