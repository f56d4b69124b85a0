package ai.pintxo.weaver.codecs.api;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.VespaField;
import java.util.Map;

/**
 * A coin of the CoinGecko coin list ({@code /api/v3/coins/list}); Vespa document type {@code tokens}, id {@code id}.
 *
 * @param id        CoinGecko id, e.g. {@code bitcoin}; required
 * @param symbol    ticker symbol
 * @param name      display name
 * @param platforms chain → contract address, present when the list was fetched with {@code include_platform=true}
 */
public record Token(String id, String symbol, String name, @VespaField(skip = true) Map<String, String> platforms) implements Keyed {

  /** The topic of the original API service. */
  public static final Topic<Token> TOPIC = Topic.json("tokens-api-topic", Token.class);

  public Token {
    Fields.requireText(id, "id");
    platforms = Fields.copyOrNull(platforms, "platforms");
  }

  @Override
  public String key() {
    return id;
  }
}
