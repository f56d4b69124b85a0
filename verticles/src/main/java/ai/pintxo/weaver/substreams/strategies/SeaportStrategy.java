package ai.pintxo.weaver.substreams.strategies;

import ai.pintxo.weaver.codecs.Json;
import ai.pintxo.weaver.codecs.api.Token;
import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.substreams.BlockInfo;
import ai.pintxo.weaver.substreams.MessageFields;
import ai.pintxo.weaver.substreams.StrategyContext;
import ai.pintxo.weaver.substreams.SubstreamsStrategy;
import ai.pintxo.weaver.substreams.pb.payload.seaport.Metric;
import ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
  public Optional<Message> outputType() {
    return Optional.of(Metrics.getDefaultInstance());
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
    if (output instanceof Metrics typed) {
      List<PintxoMetric> out = new ArrayList<>(typed.getMetricsCount());
      for (Metric metric : typed.getMetricsList()) {
        out.add(metric(metric.getKey(), metric.getValue()));
      }
      return out;
    }
    // A package whose output type differs from the generated one (another name or other fields): by field name.
    List<Message> metrics = MessageFields.messages(output, "metrics");
    List<PintxoMetric> out = new ArrayList<>(metrics.size());
    for (Message metric : metrics) {
      out.add(metric(MessageFields.string(metric, "key"), MessageFields.string(metric, "value")));
    }
    return out;
  }

  /**
   * The metric of one key and value. The key is read part by part ({@code :}) as the original's
   * {@code key.split(":")} and {@code part.split("=")} did, without their regex and array
   * allocations: a part counts when something other than {@code =} follows its first {@code =};
   * its name is what precedes that {@code =}, its value what follows up to the next {@code =}.
   *
   * @return the metric
   */
  public PintxoMetric metric(String key, String value) {
    if (key.isEmpty()) {
      throw new IllegalArgumentException("metric with an empty key");
    }
    String token = null;
    String name = null;
    String interval = null;
    String intervalValue = null;
    int length = key.length();
    int start = 0;
    while (start <= length) {
      int end = key.indexOf(':', start);
      if (end < 0) {
        end = length;
      }
      int eq = key.indexOf('=', start);
      if (eq >= 0 && eq < end && hasNonEquals(key, eq + 1, end)) {
        int valueEnd = key.indexOf('=', eq + 1);
        if (valueEnd < 0 || valueEnd > end) {
          valueEnd = end;
        }
        // The part's name compared in place: a switch on a fresh substring hashed every part of every key
        // (String.hashCode was 3 % of the bench's samples), and only "name" parts need the substring.
        int nameLength = eq - start;
        if (nameLength == 4 && key.startsWith("hour", start) || nameLength == 6 && key.startsWith("minute", start)) {
          interval = nameLength == 4 ? "hour" : "minute";
          intervalValue = key.substring(eq + 1, valueEnd);
        } else if (nameLength == 5 && key.startsWith("token", start)) {
          String v = key.substring(eq + 1, valueEnd);
          token = coinSymbols.isEmpty() ? v : coinSymbols.getOrDefault(v, v);
        } else {
          name = trimPrefix(key.substring(start, eq));
        }
      }
      start = end + 1;
    }
    return new PintxoMetric("Opensea_Seaport:" + trimPrefix(key), value, token, name, interval, intervalValue);
  }

  /** @return whether {@code s[from, to)} has a character other than {@code =} (else {@code split("=")} drops it as trailing empties) */
  private static boolean hasNonEquals(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '=') {
        return true;
      }
    }
    return false;
  }

  private static String trimPrefix(String s) {
    int i = s.indexOf(PREFIX);
    return i < 0 ? s : s.substring(0, i) + s.substring(i + PREFIX.length());
  }
}
