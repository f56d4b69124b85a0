package ai.pintxo.weaver.substreams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.pintxo.weaver.codecs.substreams.PintxoMetric;
import ai.pintxo.weaver.codecs.substreams.SubstreamsOutput;
import ai.pintxo.weaver.codecs.substreams.SupplyMetric;
import ai.pintxo.weaver.substreams.pb.payload.seaport.Metric;
import ai.pintxo.weaver.substreams.pb.payload.seaport.Metrics;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supplies;
import ai.pintxo.weaver.substreams.pb.payload.supply.Supply;
import ai.pintxo.weaver.substreams.strategies.JsonStrategy;
import ai.pintxo.weaver.substreams.strategies.SeaportStrategy;
import ai.pintxo.weaver.substreams.strategies.SupplyStrategy;
import com.google.protobuf.DynamicMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import ai.pintxo.weaver.testkit.substreams.Payloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrategiesTest {

  static final BlockInfo BLOCK = new BlockInfo(42, "0xabc", 1_700_000_000L);

  @TempDir
  Path dir;

  @Test
  void strategiesAreFoundByNameWithoutASwitch() {
    assertThat(Strategies.names()).contains("SeaportStrategy", "SupplyStrategy", "JsonStrategy");
    assertThat(Strategies.create("SeaportStrategy").recordType()).isEqualTo(PintxoMetric.class);
    assertThat(Strategies.create("SupplyStrategy")).isNotSameAs(Strategies.create("SupplyStrategy"));
    assertThatThrownBy(() -> Strategies.create("UniswapStrategy")).hasMessageContaining("no Substreams strategy named 'UniswapStrategy'")
        .hasMessageContaining("SeaportStrategy");
  }

  @Test
  void seaportKeysAreParsedAsTheOriginalDid() throws Exception {
    Path coins = dir.resolve("coins.json");
    Files.writeString(coins, """
        [{"id":"tether","symbol":"usdt","name":"Tether","platforms":{"ethereum":"0xdac17f958d2ee523a2206206994597c13d831ec7"}},
         {"id":"bitcoin","symbol":"btc","name":"Bitcoin","platforms":{}}]""");
    SeaportStrategy strategy = new SeaportStrategy();
    strategy.init(new StrategyContext("pintxo-seaport", "metrics_out", ProtoDescriptors.build(List.of(), "none"), Optional.of(coins)));
    Metrics metrics = Metrics.newBuilder()
        .addMetrics(Metric.newBuilder().setKey("seaport_volume:hour=13:token=dac17f958d2ee523a2206206994597c13d831ec7").setValue("12.5"))
        .addMetrics(Metric.newBuilder().setKey("seaport_sales:minute=7:seaport_collection=punks:token=00ff").setValue("3"))
        .addMetrics(Metric.newBuilder().setKey("total").setValue("9"))
        .build();
    List<PintxoMetric> out = strategy.map(BLOCK, DynamicMessage.newBuilder(metrics).build());
    assertThat(out).containsExactly(
        new PintxoMetric("Opensea_Seaport:volume:hour=13:token=dac17f958d2ee523a2206206994597c13d831ec7", "12.5", "usdt", null, "hour", "13"),
        new PintxoMetric("Opensea_Seaport:sales:minute=7:seaport_collection=punks:token=00ff", "3", "00ff", "collection", "minute", "7"),
        new PintxoMetric("Opensea_Seaport:total", "9", null, null, null, null));
  }

  @Test
  void seaportKeysParseAsWithSplitForAnyKey() {
    // The hot path reads keys without String.split: compare it with the original split-based parse on
    // random keys made of the characters that matter (':' '=' and parts of the known names).
    SeaportStrategy strategy = new SeaportStrategy().withCoinSymbols(Map.of("aa", "AAA", "", "EMPTY"));
    String[] pieces = {":", "=", "==", "hour", "minute", "token", "seaport_", "aa", "x", "7", ""};
    Random random = new Random(15);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder key = new StringBuilder();
      int parts = 1 + random.nextInt(8);
      for (int p = 0; p < parts; p++) {
        key.append(pieces[random.nextInt(pieces.length)]);
      }
      if (key.isEmpty()) {
        continue;
      }
      assertThat(strategy.metric(key.toString(), "v")).as(key.toString()).isEqualTo(splitParse(key.toString(), Map.of("aa", "AAA", "", "EMPTY")));
    }
  }

  /** The original SeaportStrategy's parse, with String.split, as the reference. */
  static PintxoMetric splitParse(String key, Map<String, String> coinSymbols) {
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
    return new PintxoMetric("Opensea_Seaport:" + trimPrefix(key), "v", token, name, interval, intervalValue);
  }

  private static String trimPrefix(String s) {
    int i = s.indexOf("seaport_");
    return i < 0 ? s : s.substring(0, i) + s.substring(i + "seaport_".length());
  }

  @Test
  void generatedAndDynamicOutputsGiveTheSameRecords() {
    Metrics metrics = Payloads.seaportMetrics(1234, 0, 50);
    SeaportStrategy seaport = new SeaportStrategy();
    assertThat(seaport.map(BLOCK, metrics)).hasSize(50).isEqualTo(seaport.map(BLOCK, DynamicMessage.newBuilder(metrics).build()));
    Supplies supplies = Payloads.supplies(1234, 1, 20);
    SupplyStrategy supply = new SupplyStrategy();
    assertThat(supply.map(BLOCK, supplies)).hasSize(20).isEqualTo(supply.map(BLOCK, DynamicMessage.newBuilder(supplies).build()));
  }

  @Test
  void supplyItemsBecomeSupplyMetrics() {
    Supplies supplies = Supplies.newBuilder().addItems(Supply.newBuilder().setAddress("0xa0b8").setSupply("123456789012345678901234567890"))
        .build();
    assertThat(new SupplyStrategy().map(BLOCK, supplies)).containsExactly(new SupplyMetric("0xa0b8", "123456789012345678901234567890"));
  }

  @Test
  void aMessageOfAnotherShapeIsRefusedWithTheFieldNamed() {
    Supplies supplies = Supplies.newBuilder().addItems(Supply.newBuilder().setAddress("0x1")).build();
    assertThatThrownBy(() -> new SeaportStrategy().map(BLOCK, supplies)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("erc20.supply.v1.Supplies has no field 'metrics'");
    Metrics metrics = Metrics.newBuilder().addMetrics(Metric.newBuilder().setKey("k").setValue("v")).build();
    assertThatThrownBy(() -> new SupplyStrategy().map(BLOCK, metrics)).hasMessage("eth.seaport_metrics.v1.Metrics has no field 'items'");
  }

  @Test
  void jsonStrategyPrintsTheOutputWithTheBlock() {
    JsonStrategy strategy = new JsonStrategy();
    strategy.init(new StrategyContext("x", "map_token_supply",
        ProtoDescriptors.build(List.of(Supplies.getDescriptor().getFile().toProto()), "test"), Optional.empty()));
    Supplies supplies = Supplies.newBuilder().addItems(Supply.newBuilder().setAddress("0x1").setSupply("5")).build();
    assertThat(strategy.map(BLOCK, supplies)).containsExactly(new SubstreamsOutput("map_token_supply:42", "map_token_supply", 42, "0xabc",
        1_700_000_000L, "erc20.supply.v1.Supplies", "{\"items\":[{\"address\":\"0x1\",\"supply\":\"5\"}]}"));
  }

  @Test
  void boundStrategyEncodesRecordsKeyedByDocumentId() {
    Strategies.Bound<SupplyMetric> bound = Strategies.bind(new SupplyStrategy(), "erc-20-supply-substreams-topic");
    List<EncodedRecord> records = bound.encode(BLOCK, Supplies.newBuilder().addItems(Supply.newBuilder().setAddress("0xa").setSupply("1")).build());
    assertThat(records).hasSize(1);
    assertThat(new String(records.get(0).key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("0xa");
    assertThat(SupplyMetric.TOPIC.decode(records.get(0).value(), 0, 0)).isEqualTo(new SupplyMetric("0xa", "1"));
    assertThat(Map.of("t", bound.topic().name())).containsEntry("t", SupplyMetric.TOPIC.name());
  }
}
