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

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8);
  }
}
