package ai.pintxo.weaver.codecs.substreams;

import ai.pintxo.weaver.codecs.Fields;
import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.codecs.Topic;

/**
 * The total supply of an ERC-20 token, from the original {@code erc-20-supply} substream. Vespa
 * document type {@code erc20_supply}, id {@code address}.
 *
 * @param address the token contract address; required
 * @param supply  the supply as the module wrote it (a decimal integer, kept as text: it exceeds 64 bits)
 */
public record SupplyMetric(String address, String supply) implements Keyed {

  /** The topic of the original substreams service for the {@code erc-20-supply} entry. */
  public static final Topic<SupplyMetric> TOPIC = Topic.json("erc-20-supply-substreams-topic", SupplyMetric.class);

  public SupplyMetric {
    Fields.requireText(address, "address");
  }

  @Override
  public String key() {
    return address;
  }
}
