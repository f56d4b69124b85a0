package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.codecs.vespa.DocumentId;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The /document/v1 path of a document. Each part is form-encoded, as vespa-feed-client does and
 * as Vespa decodes it ({@code URLDecoder} per segment): a space becomes {@code +}, {@code /}
 * becomes {@code %2F}, so any id reaches exactly its document.
 */
public final class VespaPaths {

  private VespaPaths() {
  }

  /** @return e.g. {@code /document/v1/pintxo/protocol/docid/Uniswap+V3} */
  public static String documentPath(DocumentId id) {
    return "/document/v1/" + encode(id.namespace()) + "/" + encode(id.documentType()) + "/docid/" + encode(id.userSpecific());
  }

  /** Form-encodes; most ids need nothing, so they are checked before the encoder is called. */
  static String encode(String part) {
    for (int i = 0; i < part.length(); i++) {
      char c = part.charAt(i);
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == '*';
      if (!unreserved) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8);
      }
    }
    return part;
  }
}
