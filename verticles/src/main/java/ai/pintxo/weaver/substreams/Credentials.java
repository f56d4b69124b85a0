package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The authentication header of a substream: {@code x-api-key} from the key file or the key
 * variable, else {@code authorization: Bearer} from the token variable, else none. The value is
 * never logged; blocking (reads the file).
 */
final class Credentials {

  private Credentials() {
  }

  static Optional<Map.Entry<String, String>> header(SubstreamsOptions options, Map<String, String> env) {
    if (options.getApiKeyFile() != null) {
      try {
        String key = Files.readString(Path.of(options.getApiKeyFile()), StandardCharsets.UTF_8).trim();
        if (key.isEmpty()) {
          throw new ConfigException("apiKeyFile", "file '" + options.getApiKeyFile() + "' is empty");
        }
        return Optional.of(Map.entry("x-api-key", key));
      } catch (IOException e) {
        throw new ConfigException("apiKeyFile", "cannot read '" + options.getApiKeyFile() + "': " + e.getClass().getSimpleName());
      }
    }
    String key = env.get(options.getApiKeyEnv());
    if (key != null && !key.isBlank()) {
      return Optional.of(Map.entry("x-api-key", key.trim()));
    }
    String token = env.get(options.getApiTokenEnv());
    if (token != null && !token.isBlank()) {
      return Optional.of(Map.entry("authorization", "Bearer " + token.trim()));
    }
    return Optional.empty();
  }
}
