package ai.pintxo.weaver.config;

import java.net.URI;
import java.util.regex.Pattern;

/** Removes secrets from text that goes to logs, metrics and dead letters. */
public final class Redact {

  private static final Pattern SECRET_PARAM = Pattern.compile(
      "(?i)([?&][^=&]*(?:key|token|secret|password|passwd|auth|signature|credential)[^=&]*=)[^&#]*");

  private Redact() {
  }

  /** @return the URL without user info and with the values of secret-looking query parameters masked */
  public static String url(String url) {
    String out = SECRET_PARAM.matcher(url).replaceAll("$1***");
    try {
      URI uri = URI.create(out);
      if (uri.getRawUserInfo() != null) {
        out = out.replace(uri.getRawUserInfo() + "@", "***@");
      }
    } catch (IllegalArgumentException e) {
      // not a URL: the pattern already did what it could
    }
    return out;
  }
}
