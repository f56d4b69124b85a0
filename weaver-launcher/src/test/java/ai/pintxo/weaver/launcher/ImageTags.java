package ai.pintxo.weaver.launcher;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whether an image reference names one exact version. {@code vespaengine/vespa:8}, {@code eclipse-temurin:17-jre},
 * {@code grafana/grafana:11.6} and {@code latest} move under you: the stack that passed yesterday is not the one
 * pulled today.
 */
final class ImageTags {

  /** major.minor.patch, optionally v-prefixed, then anything (a build or a variant: 17.0.15_6-jre-noble). */
  private static final Pattern EXACT = Pattern.compile("v?\\d+\\.\\d+\\.\\d+([._\\-+].*)?");

  private ImageTags() {
  }

  /** @return why the reference floats, or empty when it is pinned (an exact version tag or a digest) */
  static Optional<String> floating(String image) {
    if (image == null || image.isBlank()) {
      return Optional.of("no image");
    }
    if (image.contains("@sha256:")) {
      return Optional.empty();
    }
    int slash = image.lastIndexOf('/');
    int colon = image.lastIndexOf(':');
    if (colon < slash + 1) {
      return Optional.of("no tag (means latest)");
    }
    String tag = image.substring(colon + 1);
    if (tag.equals("latest")) {
      return Optional.of("tag 'latest'");
    }
    if (!EXACT.matcher(tag).matches()) {
      return Optional.of("tag '" + tag + "' is not an exact version (major.minor.patch)");
    }
    return Optional.empty();
  }
}
