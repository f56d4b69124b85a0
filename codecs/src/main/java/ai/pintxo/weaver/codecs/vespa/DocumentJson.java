package ai.pintxo.weaver.codecs.vespa;


/**
 * Writes the request body of an operation in Vespa's document JSON format: {@code {"fields":{…}}},
 * with {@code {"assign": v}} per field for updates. A remove has no body.
 */
public final class DocumentJson {

  private DocumentJson() {
  }

  /**
   * @param operation the operation
   * @return the UTF-8 JSON body, empty for a remove
   */
  public static byte[] body(DocumentOperation operation) {
    if (operation instanceof DocumentRemove) {
      return new byte[0];
    }
    return write(operation, new JsonBytes(512)).toByteArray();
  }

  /**
   * Writes the body into a reusable buffer (nothing for a remove).
   *
   * @param operation the operation
   * @param out       where to write; the caller resets it
   * @return {@code out}
   */
  public static JsonBytes write(DocumentOperation operation, JsonBytes out) {
    if (operation instanceof DocumentRemove) {
      return out;
    }
    out.raw("{\"fields\":{");
    // forEach walks the map itself; entrySet() of an unmodifiable map wraps every entry.
    if (operation instanceof DocumentUpdate update) {
      update.assigns().forEach(new FieldWriter(out, true));
    } else if (operation instanceof DocumentPut put) {
      put.fields().forEach(new FieldWriter(out, false));
    }
    return out.raw("}}");
  }

  /** Writes one field of the body: {@code "name":{"assign":value}} or {@code "name":value}. */
  private static final class FieldWriter implements java.util.function.BiConsumer<String, FieldValue> {
    private final JsonBytes out;
    private final boolean assign;
    private boolean first = true;

    FieldWriter(JsonBytes out, boolean assign) {
      this.out = out;
      this.assign = assign;
    }

    @Override
    public void accept(String name, FieldValue value) {
      if (!first) {
        out.raw(',');
      }
      first = false;
      String head = assign ? FieldHeads.assign(name) : null;
      if (head != null) {
        out.raw(head);
        value.writeTo(out);
        out.raw('}');
      } else if (assign) {
        out.string(name);
        out.raw(":{\"assign\":");
        value.writeTo(out);
        out.raw('}');
      } else {
        out.string(name);
        out.raw(':');
        value.writeTo(out);
      }
    }
  }
}
