package ai.pintxo.weaver.connector.schema;

import java.util.List;

/**
 * The Vespa schema of one document type: its fields in the order a processor writes them.
 *
 * @param documentType the document type (and schema name)
 * @param source       what it was derived from, for the header comment (processor class and topic)
 * @param fields       the fields
 */
public record DocumentSchema(String documentType, String source, List<Field> fields) {

  public DocumentSchema {
    fields = List.copyOf(fields);
  }

  /**
   * One field.
   *
   * @param name the Vespa field name
   * @param type the Vespa type, e.g. {@code string}, {@code array<string>}, {@code map<string,double>}
   */
  public record Field(String name, String type) {
  }

  /**
   * @return the {@code .sd} text, in the style of {@code ops/vespa/schemas}: every field in summary;
   *     scalars and arrays as attributes (filterable, sortable); maps in summary only, as the
   *     existing schemas keep them (a map attribute needs struct-field declarations)
   */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(source).append('\n');
    out.append("schema ").append(documentType).append(" {\n");
    out.append("  document ").append(documentType).append(" {\n");
    for (Field f : fields) {
      String indexing = f.type().startsWith("map<") ? "summary" : "summary | attribute";
      out.append("    field ").append(f.name()).append(" type ").append(f.type()).append(" { indexing: ").append(indexing).append(" }\n");
    }
    out.append("  }\n}\n");
    return out.toString();
  }
}
