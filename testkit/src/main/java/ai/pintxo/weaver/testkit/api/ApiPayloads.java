package ai.pintxo.weaver.testkit.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiFunction;

/**
 * Generated API responses with the shapes of the real ones (DefiLlama, CoinGecko): the same
 * envelopes, the fields the weaver keeps, the fields it drops, nulls where real data has them, and
 * ids that need URL encoding (spaces, {@code /}, {@code ?}, {@code #}, {@code %}, non-ASCII). The same
 * seed and sizes give the same payloads, so a test can compare what reached Vespa with what was served.
 */
public final class ApiPayloads {

  /**
   * Item counts of the real APIs, roughly (coin list 12.7k, DefiLlama protocols 3k, pools 15k+,
   * overview lists 1–2k protocols; GeckoTerminal new pools are 10 pages of 20, of which 3 are generated).
   */
  public static final Map<String, Integer> REAL_SIZES = Map.of(
      "tokens", 12_667, "protocols", 3_000, "chains", 400, "bridges", 80, "stablecoins", 206, "pools", 15_000,
      "volumes", 900, "daily_fees", 1_400, "daily_revenue", 1_100, "new_pools_zksync", 60);
  /** Resources per page of GeckoTerminal's JSON:API lists. */
  public static final int JSON_API_PAGE_SIZE = 20;
  /** The data types answered as JSON:API documents, paged with {@code links.next}. */
  public static final java.util.Set<String> JSON_API = java.util.Set.of("new_pools_zksync");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] CHAINS = {"Ethereum", "Arbitrum", "BSC", "Solana", "Polygon", "Optimism", "Base", "Avalanche", "Tron", "zkSync Era"};
  private static final String[] TRICKY = {"Uniswap V3", "Curve/Convex", "What?Swap", "Pool #1", "100% Yield", "Ünïswap 東京", "a+b", "plain"};

  private final long seed;
  private final Map<String, Integer> sizes;
  private final Map<String, BiFunction<Random, Integer, JsonNode>> generators = new LinkedHashMap<>();

  /**
   * @param seed  the random seed
   * @param sizes data type → number of items; types left out get their {@link #REAL_SIZES}
   */
  public ApiPayloads(long seed, Map<String, Integer> sizes) {
    this.seed = seed;
    Map<String, Integer> all = new LinkedHashMap<>(REAL_SIZES);
    all.putAll(sizes);
    this.sizes = Collections.unmodifiableMap(all);
    generators.put("tokens", this::tokens);
    generators.put("protocols", this::protocols);
    generators.put("chains", this::chains);
    generators.put("bridges", this::bridges);
    generators.put("stablecoins", this::stablecoins);
    generators.put("pools", this::pools);
    generators.put("volumes", (r, n) -> overview(r, n, "dexs"));
    generators.put("daily_fees", (r, n) -> overview(r, n, "fees"));
    generators.put("daily_revenue", (r, n) -> overview(r, n, "revenue"));
    generators.put("new_pools_zksync", (r, n) -> geckoPools(r, n, "zksync"));
  }

  /** @return payloads with every size scaled by {@code scale} (at least one item each) */
  public static ApiPayloads scaled(long seed, double scale) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    REAL_SIZES.forEach((type, n) -> sizes.put(type, Math.max(1, (int) Math.round(n * scale))));
    return new ApiPayloads(seed, sizes);
  }

  /** @return the data types this generator serves */
  public List<String> dataTypes() {
    return List.copyOf(generators.keySet());
  }

  /** @return the number of items generated for a data type */
  public int size(String dataType) {
    return sizes.get(dataType);
  }

  /** @return the whole response body of a data type, as the real API sends it */
  public JsonNode response(String dataType) {
    BiFunction<Random, Integer, JsonNode> generator = generators.get(dataType);
    if (generator == null) {
      throw new IllegalArgumentException("no generator for data type '" + dataType + "', known: " + generators.keySet());
    }
    return generator.apply(new Random(seed ^ dataType.hashCode()), sizes.get(dataType));
  }

  /** @return the response body as bytes */
  public byte[] responseBytes(String dataType) {
    try {
      return MAPPER.writeValueAsBytes(response(dataType));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** @return the items of a response (the array inside its envelope) */
  public List<ObjectNode> items(String dataType) {
    JsonNode response = response(dataType);
    JsonNode array = switch (dataType) {
      case "bridges" -> response.get("bridges");
      case "stablecoins" -> response.get("peggedAssets");
      case "pools", "new_pools_zksync" -> response.get("data");
      case "volumes", "daily_fees", "daily_revenue" -> response.get("protocols");
      default -> response;
    };
    List<ObjectNode> out = new ArrayList<>();
    array.forEach(item -> out.add((ObjectNode) item));
    return out;
  }

  private static String name(Random r, String prefix, int i) {
    // Every 7th item carries a name that needs URL encoding in a document id.
    return i % 7 == 3 ? TRICKY[(i / 7) % TRICKY.length] + " " + i : prefix + " " + i;
  }

  private static ArrayNode chainList(Random r) {
    ArrayNode chains = NODES.arrayNode();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      chains.add(CHAINS[(r.nextInt(CHAINS.length) + i) % CHAINS.length]);
    }
    return chains;
  }

  private static double money(Random r, double max) {
    return Math.round(r.nextDouble() * max * 100) / 100.0;
  }

  private JsonNode tokens(Random r, int n) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      ObjectNode t = out.addObject();
      t.put("id", i % 11 == 5 ? TRICKY[(i / 11) % TRICKY.length].toLowerCase().replace(' ', '-') + "-" + i : "coin-" + i);
      t.put("symbol", "c" + Integer.toString(i, 36));
      t.put("name", name(r, "Coin", i));
      ObjectNode platforms = t.putObject("platforms");
      if (r.nextBoolean()) {
        platforms.put("ethereum", String.format("0x%040x", new java.math.BigInteger(160, r)));
      }
    }
    return out;
  }

  private JsonNode protocols(Random r, int n) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      ObjectNode p = out.addObject();
      p.put("id", Integer.toString(100 + i));
      p.put("name", name(r, "Protocol", i));
      p.put("address", r.nextBoolean() ? String.format("0x%040x", new java.math.BigInteger(160, r)) : null);
      p.put("symbol", r.nextInt(5) == 0 ? "-" : "P" + i);
      p.put("url", "https://protocol-" + i + ".example");
      p.put("description", "Generated protocol number " + i + " for the weaver's demo.");
      p.put("chain", CHAINS[i % CHAINS.length]);
      p.put("logo", "https://icons.llama.fi/protocol-" + i + ".png");
      p.put("audits", "2");
      p.put("audit_note", (String) null);
      if (r.nextInt(3) == 0) {
        p.putNull("gecko_id");
      } else {
        p.put("gecko_id", "protocol-" + i);
      }
      if (r.nextInt(3) == 0) {
        p.putNull("cmcId");
      } else {
        p.put("cmcId", Integer.toString(1000 + i));
      }
      p.put("category", i % 3 == 0 ? "Dexs" : i % 3 == 1 ? "Lending" : "Yield");
      ArrayNode chains = chainList(r);
      p.set("chains", chains);
      p.put("module", "protocol-" + i + "/index.js");
      p.put("twitter", "protocol" + i);
      p.putArray("audit_links").add("https://audits.example/" + i);
      p.putArray("oracles").add("Chainlink");
      p.putArray("forkedFrom");
      p.put("listedAt", 1_600_000_000L + i * 3600L);
      p.put("methodology", "TVL is the value of tokens locked in the contracts.");
      p.put("slug", "protocol-" + i);
      double tvl = money(r, 5e9);
      p.put("tvl", tvl);
      ObjectNode chainTvls = p.putObject("chainTvls");
      chains.forEach(c -> chainTvls.put(c.asText(), money(r, tvl)));
      p.put("change_1h", r.nextInt(10) == 0 ? null : r.nextGaussian());
      p.put("change_1d", r.nextGaussian() * 3);
      p.put("change_7d", r.nextGaussian() * 8);
      p.putObject("tokenBreakdowns");
      p.put("mcap", r.nextInt(4) == 0 ? null : money(r, 1e10));
    }
    return out;
  }

  private JsonNode chains(Random r, int n) {
    ArrayNode out = NODES.arrayNode();
    for (int i = 0; i < n; i++) {
      ObjectNode c = out.addObject();
      boolean obscure = r.nextInt(4) == 0;
      c.put("gecko_id", obscure ? null : "chain-" + i);
      c.put("tvl", money(r, 1e11));
      c.put("tokenSymbol", obscure ? null : "CH" + i);
      c.put("cmcId", obscure ? null : Integer.toString(2000 + i));
      c.put("name", i < CHAINS.length ? CHAINS[i] : name(r, "Chain", i));
      if (obscure) {
        c.putNull("chainId");
      } else {
        c.put("chainId", 1 + i);
      }
    }
    return out;
  }

  private JsonNode bridges(Random r, int n) {
    ObjectNode out = NODES.objectNode();
    ArrayNode bridges = out.putArray("bridges");
    for (int i = 0; i < n; i++) {
      ObjectNode b = bridges.addObject();
      b.put("id", 1 + i);
      b.put("name", "bridge-" + i);
      b.put("displayName", name(r, "Bridge", i));
      b.put("icon", "chain:bridge-" + i);
      b.put("volumePrevDay", money(r, 1e8));
      b.put("volumePrev2Day", money(r, 1e8));
      b.put("lastHourlyVolume", money(r, 1e6));
      b.put("currentDayVolume", money(r, 1e8));
      b.put("lastDailyVolume", money(r, 1e8));
      b.put("dayBeforeLastVolume", money(r, 1e8));
      b.put("weeklyVolume", money(r, 1e9));
      b.put("monthlyVolume", money(r, 1e10));
      b.set("chains", chainList(r));
      b.put("destinationChain", r.nextBoolean() ? "false" : CHAINS[r.nextInt(CHAINS.length)]);
    }
    return out;
  }

  private JsonNode stablecoins(Random r, int n) {
    ObjectNode out = NODES.objectNode();
    ArrayNode assets = out.putArray("peggedAssets");
    for (int i = 0; i < n; i++) {
      ObjectNode s = assets.addObject();
      s.put("id", Integer.toString(1 + i));
      s.put("name", name(r, "Stable", i));
      s.put("symbol", "USD" + i);
      s.put("gecko_id", r.nextInt(5) == 0 ? null : "stable-" + i);
      s.put("pegType", i % 9 == 0 ? "peggedEUR" : "peggedUSD");
      s.put("priceSource", r.nextInt(6) == 0 ? null : "defillama");
      s.put("pegMechanism", i % 3 == 0 ? "crypto-backed" : "fiat-backed");
      String peg = i % 9 == 0 ? "peggedEUR" : "peggedUSD";
      s.set("circulating", pegged(r, peg));
      s.set("circulatingPrevDay", pegged(r, peg));
      // Real data writes a bare 0 when a period has no figure.
      s.set("circulatingPrevWeek", r.nextInt(10) == 0 ? NODES.numberNode(0) : pegged(r, peg));
      s.set("circulatingPrevMonth", r.nextInt(8) == 0 ? NODES.numberNode(0) : pegged(r, peg));
      ObjectNode chainCirculating = s.putObject("chainCirculating");
      ArrayNode chains = chainList(r);
      chains.forEach(c -> {
        ObjectNode per = chainCirculating.putObject(c.asText());
        per.set("current", pegged(r, peg));
        per.set("circulatingPrevDay", pegged(r, peg));
        per.set("circulatingPrevWeek", r.nextInt(10) == 0 ? NODES.numberNode(0) : pegged(r, peg));
        per.set("circulatingPrevMonth", r.nextInt(6) == 0 ? NODES.numberNode(0) : pegged(r, peg));
      });
      s.set("chains", chains);
      if (r.nextInt(7) == 0) {
        s.putNull("price");
      } else {
        s.put("price", 0.99 + r.nextInt(200) / 10_000.0);
      }
    }
    ArrayNode chains = out.putArray("chains");
    for (String c : CHAINS) {
      ObjectNode chain = chains.addObject();
      chain.putNull("gecko_id");
      chain.putObject("totalCirculatingUSD").put("peggedUSD", money(r, 1e11));
      chain.putNull("tokenSymbol");
      chain.put("name", c);
    }
    return out;
  }

  private static ObjectNode pegged(Random r, String peg) {
    return NODES.objectNode().put(peg, money(r, 1e11));
  }

  private JsonNode pools(Random r, int n) {
    ObjectNode out = NODES.objectNode();
    out.put("status", "success");
    ArrayNode data = out.putArray("data");
    for (int i = 0; i < n; i++) {
      ObjectNode p = data.addObject();
      p.put("chain", CHAINS[r.nextInt(CHAINS.length)]);
      p.put("project", "project-" + (i % 500));
      p.put("symbol", i % 13 == 4 ? "WETH-USDC #" + i : "TOK" + i + "-USDC");
      p.put("tvlUsd", money(r, 1e9));
      Double apyBase = r.nextInt(5) == 0 ? null : money(r, 40);
      Double apyReward = r.nextInt(3) == 0 ? null : money(r, 20);
      p.put("apyBase", apyBase);
      p.put("apyReward", apyReward);
      p.put("apy", (apyBase == null ? 0 : apyBase) + (apyReward == null ? 0 : apyReward));
      if (apyReward == null) {
        p.putNull("rewardTokens");
      } else {
        p.putArray("rewardTokens").add(String.format("0x%040x", new java.math.BigInteger(160, r)));
      }
      p.put("pool", new UUID(r.nextLong(), r.nextLong()).toString());
      p.put("apyPct1D", r.nextGaussian());
      p.put("apyPct7D", r.nextInt(6) == 0 ? null : r.nextGaussian() * 2);
      p.put("apyPct30D", r.nextInt(6) == 0 ? null : r.nextGaussian() * 4);
      p.put("stablecoin", r.nextBoolean());
      p.put("ilRisk", r.nextBoolean() ? "yes" : "no");
      p.put("exposure", r.nextBoolean() ? "single" : "multi");
      ObjectNode predictions = p.putObject("predictions");
      predictions.put("predictedClass", "Stable/Up");
      predictions.put("predictedProbability", 70 + r.nextInt(30));
      predictions.put("binnedConfidence", 1 + r.nextInt(3));
      p.put("poolMeta", r.nextBoolean() ? null : "meta " + i);
      p.put("mu", r.nextDouble() * 10);
      p.put("sigma", r.nextDouble());
      p.put("count", r.nextInt(1000));
      p.put("outlier", false);
      if (r.nextInt(4) == 0) {
        p.putNull("underlyingTokens");
      } else {
        ArrayNode underlying = p.putArray("underlyingTokens");
        underlying.add(String.format("0x%040x", new java.math.BigInteger(160, r)));
        underlying.add(String.format("0x%040x", new java.math.BigInteger(160, r)));
      }
      p.put("il7d", (Double) null);
      p.put("apyBase7d", r.nextInt(3) == 0 ? null : money(r, 40));
      p.put("apyMean30d", money(r, 40));
      p.put("volumeUsd1d", r.nextInt(3) == 0 ? null : money(r, 1e7));
      p.put("volumeUsd7d", r.nextInt(3) == 0 ? null : money(r, 7e7));
      p.put("apyBaseInception", (Double) null);
    }
    return out;
  }

  /**
   * A DefiLlama dimensions overview ({@code /overview/dexs}, {@code /overview/fees?dataType=...}):
   * chart arrays (empty, as with {@code excludeTotalDataChart=true}), totals, and {@code protocols}.
   */
  private JsonNode overview(Random r, int n, String kind) {
    ObjectNode out = NODES.objectNode();
    out.putArray("totalDataChart");
    out.putArray("totalDataChartBreakdown");
    out.putNull("breakdown24h");
    out.putNull("chain");
    ArrayNode allChains = out.putArray("allChains");
    for (String c : CHAINS) {
      allChains.add(c);
    }
    double total = 0;
    ArrayNode protocols = out.putArray("protocols");
    for (int i = 0; i < n; i++) {
      ObjectNode p = protocols.addObject();
      double day = money(r, kind.equals("dexs") ? 2e9 : 5e7);
      total += day;
      p.put("total24h", day);
      p.put("total48hto24h", money(r, day * 1.5));
      p.put("total7d", money(r, day * 9));
      p.put("total14dto7d", money(r, day * 9));
      p.put("total60dto30d", money(r, day * 40));
      p.put("total30d", r.nextInt(10) == 0 ? null : money(r, day * 40));
      p.put("total1y", r.nextInt(5) == 0 ? null : money(r, day * 400));
      p.put("totalAllTime", r.nextInt(8) == 0 ? null : money(r, day * 1000));
      p.put("average1y", r.nextInt(5) == 0 ? null : money(r, day));
      p.put("change_1d", r.nextInt(12) == 0 ? null : r.nextGaussian() * 10);
      p.put("change_7d", r.nextInt(12) == 0 ? null : r.nextGaussian() * 20);
      p.put("change_1m", r.nextInt(12) == 0 ? null : r.nextGaussian() * 30);
      p.put("change_7dover7d", r.nextGaussian() * 20);
      p.put("change_30dover30d", r.nextGaussian() * 30);
      p.putObject("breakdown24h").putObject(CHAINS[i % CHAINS.length]).put("protocol-" + i, day);
      p.put("total7DaysAgo", money(r, day));
      p.put("total30DaysAgo", money(r, day));
      String id = Integer.toString(2000 + i);
      p.put("defillamaId", id);
      p.put("name", name(r, kind.equals("dexs") ? "Dex" : "Protocol", i));
      p.put("displayName", name(r, kind.equals("dexs") ? "Dex" : "Protocol", i) + (i % 4 == 0 ? " (v2)" : ""));
      p.put("module", "protocol-" + i);
      p.put("category", kind.equals("dexs") ? "Dexs" : i % 3 == 0 ? "Lending" : i % 3 == 1 ? "Dexs" : "Derivatives");
      p.put("logo", "https://icons.llamao.fi/icons/protocols/protocol-" + i);
      p.set("chains", chainList(r));
      p.put("protocolType", i % 17 == 0 ? "chain" : "protocol");
      p.put("methodologyURL", "https://github.com/DefiLlama/dimension-adapters/blob/master/" + kind + "/protocol-" + i);
      ObjectNode methodology = p.putObject("methodology");
      methodology.put("Fees", "Swap fees paid by users");
      methodology.put("Revenue", "Part of the fees kept by the protocol");
      p.put("latestFetchIsOk", r.nextInt(20) != 0);
      p.put("slug", "protocol-" + i);
      p.put("id", id);
      if (i % 5 == 0) {
        p.put("parentProtocol", "parent#protocol-family-" + (i / 5));
      }
      if (i % 9 == 0) {
        p.putArray("linkedProtocols").add("Protocol " + i).add("Protocol " + (i + 1));
      }
    }
    out.put("total24h", total);
    out.put("total48hto24h", money(r, total * 1.5));
    out.put("total7d", money(r, total * 9));
    out.put("change_1d", r.nextGaussian() * 5);
    out.put("change_7d", r.nextGaussian() * 10);
    out.put("change_1m", r.nextGaussian() * 20);
    return out;
  }

  /**
   * GeckoTerminal {@code /networks/<network>/new_pools?include=base_token,quote_token,dex}, all pages in
   * one JSON:API document: pools in {@code data} with relationships, tokens and DEXes in
   * {@code included}. Amounts are decimal strings, as GeckoTerminal sends them. See {@link #jsonApiPage}.
   */
  private JsonNode geckoPools(Random r, int n, String network) {
    ObjectNode out = NODES.objectNode();
    ArrayNode data = out.putArray("data");
    ArrayNode included = out.putArray("included");
    String[] dexes = {"syncswap", "zkswap_finance", "pancakeswap-v3-zksync", "koi-finance"};
    String[] dexNames = {"SyncSwap", "zkSwap Finance", "PancakeSwap V3 (zkSync)", "Koi Finance"};
    String weth = network + "_0x5aea5775959fbc2557cc8789bc1bf90a239d9a91";
    ObjectNode wethNode = included.addObject();
    wethNode.put("id", weth).put("type", "token");
    wethNode.putObject("attributes").put("address", weth.substring(network.length() + 1)).put("name", "Wrapped Ether")
        .put("symbol", "WETH").put("image_url", "https://assets.geckoterminal.com/weth.png").put("coingecko_coin_id", "weth")
        .put("decimals", 18);
    for (int d = 0; d < dexes.length; d++) {
      ObjectNode dex = included.addObject();
      dex.put("id", dexes[d]).put("type", "dex");
      dex.putObject("attributes").put("name", dexNames[d]);
    }
    for (int i = 0; i < n; i++) {
      String address = String.format("0x%040x", new java.math.BigInteger(160, r));
      String tokenAddress = String.format("0x%040x", new java.math.BigInteger(160, r));
      String tokenId = network + "_" + tokenAddress;
      String symbol = i % 7 == 3 ? "T#" + i : "TKN" + i;
      ObjectNode token = included.addObject();
      token.put("id", tokenId).put("type", "token");
      ObjectNode ta = token.putObject("attributes");
      ta.put("address", tokenAddress).put("name", name(r, "Token", i)).put("symbol", symbol)
          .put("image_url", r.nextBoolean() ? "missing.png" : "https://assets.geckoterminal.com/" + i + ".png");
      if (r.nextInt(3) == 0) {
        ta.putNull("coingecko_coin_id");
      } else {
        ta.put("coingecko_coin_id", "token-" + i);
      }
      if (r.nextInt(4) == 0) {
        ta.putNull("decimals");
      } else {
        ta.put("decimals", 6 + r.nextInt(13));
      }
      ObjectNode pool = data.addObject();
      pool.put("id", network + "_" + address);
      pool.put("type", "pool");
      ObjectNode a = pool.putObject("attributes");
      a.put("base_token_price_usd", decimal(r, 5));
      a.put("base_token_price_native_currency", decimal(r, 0.01));
      a.put("quote_token_price_usd", "3127.4401512334");
      a.put("quote_token_price_native_currency", "1.0");
      a.put("base_token_price_quote_token", decimal(r, 0.001));
      a.put("quote_token_price_base_token", decimal(r, 100000));
      a.put("address", address);
      a.put("name", symbol + " / WETH");
      a.put("pool_created_at", java.time.Instant.ofEpochSecond(1_760_000_000L - i * 97L).toString());
      a.put("fdv_usd", decimal(r, 1e7));
      if (r.nextInt(3) == 0) {
        a.putNull("market_cap_usd");
      } else {
        a.put("market_cap_usd", decimal(r, 1e6));
      }
      ObjectNode change = a.putObject("price_change_percentage");
      ObjectNode transactions = a.putObject("transactions");
      ObjectNode volume = a.putObject("volume_usd");
      for (String w : new String[] {"m5", "m15", "m30", "h1", "h6", "h24"}) {
        change.put(w, String.format(java.util.Locale.ROOT, "%.3f", r.nextGaussian() * 20));
        ObjectNode tx = transactions.putObject(w);
        tx.put("buys", r.nextInt(100)).put("sells", r.nextInt(100)).put("buyers", r.nextInt(50)).put("sellers", r.nextInt(50));
        volume.put(w, decimal(r, 1e5));
      }
      a.put("reserve_in_usd", decimal(r, 1e6));
      a.putNull("locked_liquidity_percentage");
      ObjectNode rel = pool.putObject("relationships");
      rel.putObject("base_token").putObject("data").put("id", tokenId).put("type", "token");
      rel.putObject("quote_token").putObject("data").put("id", weth).put("type", "token");
      rel.putObject("dex").putObject("data").put("id", dexes[i % dexes.length]).put("type", "dex");
    }
    return out;
  }

  private static String decimal(Random r, double max) {
    return new java.math.BigDecimal(r.nextDouble() * max).setScale(8, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
  }

  /**
   * One page of a JSON:API data type: the page's resources, the included resources they point to,
   * and {@code links.next} when there are more pages.
   *
   * @param document the whole document ({@link #response})
   * @param page     1-based page number
   * @param nextUrl  the URL of the next page, used when there is one
   * @return the page
   */
  public static ObjectNode jsonApiPage(JsonNode document, int page, String nextUrl) {
    ArrayNode data = (ArrayNode) document.get("data");
    ObjectNode out = NODES.objectNode();
    ArrayNode pageData = out.putArray("data");
    java.util.Set<String> wanted = new java.util.HashSet<>();
    int from = (page - 1) * JSON_API_PAGE_SIZE;
    for (int i = from; i < Math.min(data.size(), from + JSON_API_PAGE_SIZE); i++) {
      JsonNode resource = data.get(i);
      pageData.add(resource);
      resource.path("relationships").forEach(rel -> wanted.add(rel.path("data").path("type").asText() + "/" + rel.path("data").path("id").asText()));
    }
    ArrayNode included = out.putArray("included");
    document.path("included").forEach(resource -> {
      if (wanted.contains(resource.path("type").asText() + "/" + resource.path("id").asText())) {
        included.add(resource);
      }
    });
    if (from + JSON_API_PAGE_SIZE < data.size()) {
      out.putObject("links").put("next", nextUrl);
    }
    return out;
  }
}
