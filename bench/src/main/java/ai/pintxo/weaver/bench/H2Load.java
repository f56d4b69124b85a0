package ai.pintxo.weaver.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The emulator's own ceiling, measured with h2load (Debian's nghttp2-client) when it is installed. */
final class H2Load {

  private static final Pattern RATE = Pattern.compile("finished in [^,]+, ([0-9.]+) req/s");
  private static final Pattern SUCCEEDED = Pattern.compile("requests: \\d+ total, \\d+ started, \\d+ done, (\\d+) succeeded");

  private H2Load() {
  }

  /** @return requests per second the emulator answered, or -1 when h2load is not installed */
  static double ceiling(String endpoint, int requests, int connections, int streams, Path dir) throws IOException, InterruptedException {
    if (!Files.isExecutable(Path.of("/usr/bin/h2load"))) {
      return -1;
    }
    Path body = dir.resolve("h2load-body.json");
    Files.writeString(body, "{\"fields\":{\"id\":\"h2load\",\"symbol\":\"h2\",\"name\":\"h2load probe\"}}", StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(List.of("/usr/bin/h2load", "-n", Integer.toString(requests), "-c", Integer.toString(connections),
        "-m", Integer.toString(streams), "-d", body.toString(), "-H", "Content-Type: application/json",
        endpoint + "/document/v1/pintxo/tokens/docid/h2load")).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(5, TimeUnit.MINUTES);
    Matcher rate = RATE.matcher(output);
    Matcher ok = SUCCEEDED.matcher(output);
    if (!rate.find() || !ok.find() || Long.parseLong(ok.group(1)) != requests) {
      throw new IOException("h2load did not complete: " + output);
    }
    return Double.parseDouble(rate.group(1));
  }
}
