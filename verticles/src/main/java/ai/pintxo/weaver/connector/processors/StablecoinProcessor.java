package ai.pintxo.weaver.connector.processors;

import ai.pintxo.weaver.codecs.Topic;
import ai.pintxo.weaver.codecs.api.PeggedAmounts;
import ai.pintxo.weaver.codecs.api.Stablecoin;
import ai.pintxo.weaver.codecs.vespa.DocumentId;
import ai.pintxo.weaver.codecs.vespa.DocumentOperation;
import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.pintxo.weaver.connector.DocumentProcessor;
import java.math.BigDecimal;
import java.util.Map;

/**
 * {@code stablecoins-api-topic} → Vespa {@code stablecoin}, id = id. The circulation objects are
 * written as JSON strings, as the original did ({@code JSON.stringify}, so numbers are written
 * the way JavaScript writes them: {@code 127670074069.01582}, not {@code 1.2767007406901582E11}).
 */
public final class StablecoinProcessor implements DocumentProcessor<Stablecoin> {

  @Override
  public Topic<Stablecoin> topic() {
    return Stablecoin.TOPIC;
  }

  @Override
  public String documentType() {
    return "stablecoin";
  }

  @Override
  public DocumentOperation process(Stablecoin s) {
    return DocumentUpdate.upsert(DocumentId.pintxo(documentType(), s.id()))
        .assign("id", s.id())
        .assign("name", s.name())
        .assign("symbol", s.symbol())
        .assign("gecko_id", s.geckoId())
        .assign("pegType", s.pegType())
        .assign("priceSource", s.priceSource())
        .assign("pegMechanism", s.pegMechanism())
        .assign("circulating", json(s.circulating()))
        .assign("circulatingPrevDay", json(s.circulatingPrevDay()))
        .assign("circulatingPrevWeek", json(s.circulatingPrevWeek()))
        .assign("circulatingPrevMonth", json(s.circulatingPrevMonth()))
        .assign("chainCirculating", chainCirculating(s.chainCirculating()))
        .assign("chains", s.chains())
        .assign("price", s.price())
        .build();
  }

  static String json(PeggedAmounts amounts) {
    if (amounts == null) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    write(out, amounts);
    return out.toString();
  }

  private static String chainCirculating(Map<String, Stablecoin.ChainCirculation> byChain) {
    if (byChain == null) {
      return null;
    }
    StringBuilder out = new StringBuilder("{");
    boolean first = true;
    for (Map.Entry<String, Stablecoin.ChainCirculation> chain : byChain.entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(out, chain.getKey());
      out.append(":{");
      Stablecoin.ChainCirculation c = chain.getValue();
      boolean firstPeriod = true;
      String[] names = {"current", "circulatingPrevDay", "circulatingPrevWeek", "circulatingPrevMonth"};
      PeggedAmounts[] values = {c.current(), c.circulatingPrevDay(), c.circulatingPrevWeek(), c.circulatingPrevMonth()};
      for (int i = 0; i < names.length; i++) {
        if (values[i] == null) {
          continue;
        }
        if (!firstPeriod) {
          out.append(',');
        }
        firstPeriod = false;
        quote(out, names[i]);
        out.append(':');
        write(out, values[i]);
      }
      out.append('}');
    }
    return out.append('}').toString();
  }

  private static void write(StringBuilder out, PeggedAmounts amounts) {
    if (amounts.bareZero()) {
      out.append('0');
      return;
    }
    out.append('{');
    boolean first = true;
    for (Map.Entry<String, Double> e : amounts.byPegType().entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      quote(out, e.getKey());
      out.append(':').append(jsNumber(e.getValue()));
    }
    out.append('}');
  }

  /** Formats a number as JavaScript's {@code JSON.stringify} does for the magnitudes money has. */
  static String jsNumber(double value) {
    if (value == 0) {
      return "0";
    }
    double abs = Math.abs(value);
    if (abs >= 1e-7 && abs < 1e21) {
      return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }
    String java = Double.toString(value); // e.g. 1.5E22 → JS writes 1.5e+22
    String[] parts = java.split("E");
    String mantissa = parts[0].endsWith(".0") ? parts[0].substring(0, parts[0].length() - 2) : parts[0];
    int exponent = Integer.parseInt(parts[1]);
    return mantissa + "e" + (exponent > 0 ? "+" : "") + exponent;
  }

  private static void quote(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
