package ai.pintxo.weaver.testutil;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The real payloads in {@code ../shared/fixtures}; tests that use them are skipped when the folder is absent. */
public final class SharedFixtures {

  private SharedFixtures() {
  }

  /** @return the fixtures folder; skips the calling test when it is missing */
  public static Path dir() {
    String configured = System.getProperty("weaver.shared.dir");
    Path shared = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
    Path fixtures = shared.resolve("fixtures").normalize();
    assumeTrue(Files.isDirectory(fixtures), "shared fixtures not found at " + fixtures.toAbsolutePath() + ": test skipped");
    return fixtures;
  }

  /** @return the bytes of a fixture file; skips the calling test when it is missing */
  public static byte[] bytes(String relative) {
    Path file = dir().resolve(relative);
    assumeTrue(Files.isRegularFile(file), "fixture " + file + " not found: test skipped");
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
