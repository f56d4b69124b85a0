package ai.pintxo.weaver.substreams.strategies;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.substreams.BlockInfo;
import ai.pintxo.weaver.substreams.MessageFields;
import ai.pintxo.weaver.substreams.StrategyContext;
import ai.pintxo.weaver.substreams.SubstreamsStrategy;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The original {@code SeaportStrategy}: {@code Metrics {repeated Metric {key, value}}} → one
 * {@link PintxoMetric} per metric. The key is {@code :}-separated; {@code hour=n} / {@code minute=n}
 * give the interval, {@code token=<address without 0x>} the token (its coin symbol when the address
 * is an Ethereum contract in the coin list), any other {@code k=v} the name (without
 * {@code seaport_}). The id is {@code Opensea_Seaport:} + the key without its first {@code seaport_}.
 */
public final class SeaportStrategy implements SubstreamsStrategy<PintxoMetric> {

  private static final String PREFIX = "seaport_";

  private Map<String, String> coinSymbols = Map.of();

  @Override
  public String name() {
    return "SeaportStrategy";
  }

  @Override
  public Class<PintxoMetric> recordType() {
    return PintxoMetric.class;
  }

  @Override
  public void init(StrategyContext context) {
    context.coinList().ifPresent(file -> coinSymbols = readCoinList(file));
  }

  /**
   * @param coinSymbols address without {@code 0x} → symbol
   * @return this
   */
  public SeaportStrategy withCoinSymbols(Map<String, String> coinSymbols) {
    this.coinSymbols = Map.copyOf(coinSymbols);
    return this;
  }

  /** @return address (without {@code 0x}) → symbol of every coin with an Ethereum contract in a CoinGecko coin list */
  public static Map<String, String> readCoinList(Path file) {
    Token[] tokens;
    try {
      tokens = Json.mapper().readValue(file.toFile(), Token[].class);
    } catch (IOException e) {
      throw new ConfigException("coinList", "cannot read CoinGecko coin list '" + file + "': " + e.getMessage());
    }
    Map<String, String> out = new HashMap<>();
    for (Token t : tokens) {
      String address = t.platforms() == null ? null : t.platforms().get("ethereum");
      if (address != null && address.length() > 2 && t.symbol() != null) {
        out.put(address.substring(2), t.symbol());
      }
    }
    return Map.copyOf(out);
  }

  @Override
  public List<PintxoMetric> map(BlockInfo block, Message output) {
    List<Message> metrics = MessageFields.messages(output, "metrics");
    List<PintxoMetric> out = new ArrayList<>(metrics.size());
    for (Message metric : metrics) {
      out.add(metric(MessageFields.string(metric, "key"), MessageFields.string(metric, "value")));
    }
    return out;
  }

  /** @return the metric of one key and value */
  public PintxoMetric metric(String key, String value) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("metric with an empty key");
    }
    String token = null;
    String name = null;
    String interval = null;
    String intervalValue = null;
    for (String part : key.split(":")) {
      String[] kv = part.split("=");
      if (kv.length < 2) {
        continue;
      }
      switch (kv[0]) {
        case "hour", "minute" -> {
          interval = kv[0];
          intervalValue = kv[1];
        }
        case "token" -> token = coinSymbols.getOrDefault(kv[1], kv[1]);
        default -> name = trimPrefix(kv[0]);
      }
    }
    return new PintxoMetric("Opensea_Seaport:" + trimPrefix(key), value, token, name, interval, intervalValue);
  }

  private static String trimPrefix(String s) {
    int i = s.indexOf(PREFIX);
    return i < 0 ? s : s.substring(0, i) + s.substring(i + PREFIX.length());
  }
}
