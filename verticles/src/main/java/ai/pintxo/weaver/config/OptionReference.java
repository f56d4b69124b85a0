package ai.pintxo.weaver.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration reference, written from the declarations: one Markdown table row per option
 * (key, type, default, doc), nested options flattened ({@code vespa.endpoint}, {@code streams[].url}).
 * {@code weaver config --describe} prints it, the README's tables are generated from it, and a
 * test fails when they drift apart.
 */
public final class OptionReference {

  private OptionReference() {
  }

  /**
   * @param spec   the options
   * @param prefix prepended to every key ({@code ""}, or {@code "vespa."})
   * @param skip   top-level keys left out (e.g. {@code kafka}, documented once for all)
   * @return the table, header included, each line ending with a newline
   */
  public static String table(OptionSpec<?> spec, String prefix, List<String> skip) {
    StringBuilder out = new StringBuilder("| key | type | default | what |\n|---|---|---|---|\n");
    List<String> rows = new ArrayList<>();
    rows(spec, prefix, skip, rows);
    rows.forEach(row -> out.append(row).append('\n'));
    return out.toString();
  }

  private static void rows(OptionSpec<?> spec, String prefix, List<String> skip, List<String> rows) {
    for (Option<?> option : spec.options()) {
      if (skip.contains(option.name())) {
        continue;
      }
      OptionSpec<?> nested = option.type().nested();
      String key = prefix + option.name();
      if (nested != null) {
        boolean list = option.type().describe().startsWith("list");
        rows.add(row(key, option.type().describe(), option.required() ? "required" : "–", option.doc()));
        rows(nested, key + (list ? "[]." : "."), List.of(), rows);
      } else {
        rows.add(row(key, option.type().describe(), option.secret() ? "– (secret)" : option.defaultDoc(), option.doc()));
      }
    }
  }

  private static String row(String key, String type, String def, String doc) {
    return "| `" + key + "` | " + escape(type) + " | " + (def.equals("–") || def.equals("required") || def.startsWith("– ") ? def
        : "`" + def + "`") + " | " + escape(doc) + " |";
  }

  private static String escape(String text) {
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
  }
}
