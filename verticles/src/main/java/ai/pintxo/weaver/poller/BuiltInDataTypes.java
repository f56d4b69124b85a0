package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.connector.DocumentProcessor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The data types the weaver knows without a class: {@code data-types.json} on the classpath, next to
 * this class, read once. Each becomes a {@link JsonArrayHandler} (the poller's) and, when it names a
 * document type, a generic processor (the connector's), so an original endpoints file and a
 * connector-only deployment both find them.
 */
public final class BuiltInDataTypes {

  static final String RESOURCE = "data-types.json";

  private static final List<DataTypeOptions> ALL = read();

  private BuiltInDataTypes() {
  }

  private static List<DataTypeOptions> read() {
    JsonArray array;
    try (InputStream in = BuiltInDataTypes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      array = new JsonArray(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<DataTypeOptions> out = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(RESOURCE + "[" + i + "]", "expected a data type object");
      }
      out.add(new DataTypeOptions(o, RESOURCE + "[" + i + "]"));
    }
    return List.copyOf(out);
  }

  /** @return the handlers of the built-in data types */
  static List<ApiHandler<?>> handlers() {
    return ALL.stream().<ApiHandler<?>>map(DataTypeOptions::handler).toList();
  }

  /** @return the generic processors of the built-in data types that name a document type */
  public static List<DocumentProcessor<?>> processors() {
    List<DocumentProcessor<?>> out = new ArrayList<>();
    for (DataTypeOptions d : ALL) {
      if (d.shape().documentType() != null) {
        out.add(d.shape().processor(d.handler().topic().name()));
      }
    }
    return out;
  }
}
