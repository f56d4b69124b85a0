package ai.pintxo.weaver.testkit.vespa;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The document types of an application package: for each type, its fields and their types, read
 * from the {@code document} block of each {@code schemas/*.sd} file.
 */
public final class VespaSchemas {

  /** Classpath folder the testkit build copies {@code ops/vespa} into. */
  public static final String CLASSPATH_APP = "weaver-vespa-app";

  private static final Pattern DOCUMENT_TYPE = Pattern.compile("<document\\s+type=\"([A-Za-z_0-9]+)\"");
  private static final Pattern DOCUMENT_BLOCK = Pattern.compile("\\bdocument\\s+([A-Za-z_0-9]+)\\s*(?:inherits\\s+[A-Za-z_0-9, ]+)?\\{");
  private static final Pattern FIELD = Pattern.compile("\\bfield\\s+([A-Za-z_][A-Za-z_0-9]*)\\s+type\\s+([^{]+?)\\s*\\{");

  private final Map<String, Map<String, FieldType>> types;

  private VespaSchemas(Map<String, Map<String, FieldType>> types) {
    this.types = types;
  }

  /** @return the schemas of the weaver's own application package, from the classpath */
  public static VespaSchemas fromClasspath() {
    String services = resource(CLASSPATH_APP + "/services.xml");
    Map<String, Map<String, FieldType>> types = new TreeMap<>();
    Matcher m = DOCUMENT_TYPE.matcher(services);
    while (m.find()) {
      String type = m.group(1);
      parse(resource(CLASSPATH_APP + "/schemas/" + type + ".sd"), types);
    }
    return new VespaSchemas(Collections.unmodifiableMap(types));
  }

  /**
   * @param applicationDir a folder with {@code schemas/*.sd}
   * @return its schemas
   */
  public static VespaSchemas fromDirectory(Path applicationDir) {
    Map<String, Map<String, FieldType>> types = new TreeMap<>();
    try (var files = Files.list(applicationDir.resolve("schemas"))) {
      for (Path sd : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".sd")).sorted()::iterator) {
        parse(Files.readString(sd), types);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schemas of " + applicationDir, e);
    }
    return new VespaSchemas(Collections.unmodifiableMap(types));
  }

  private static void parse(String sd, Map<String, Map<String, FieldType>> into) {
    String text = sd.replaceAll("(?m)#.*$", "");
    Matcher doc = DOCUMENT_BLOCK.matcher(text);
    if (!doc.find()) {
      throw new IllegalArgumentException("schema has no document block: " + text.substring(0, Math.min(80, text.length())));
    }
    int start = doc.end();
    int end = matchingBrace(text, start - 1);
    Map<String, FieldType> fields = new LinkedHashMap<>();
    Matcher field = FIELD.matcher(text.substring(start, end));
    while (field.find()) {
      fields.put(field.group(1), FieldType.parse(field.group(2).trim()));
    }
    into.put(doc.group(1), Collections.unmodifiableMap(fields));
  }

  private static int matchingBrace(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("unbalanced braces in schema");
  }

  private static String resource(String name) {
    try (InputStream in = VespaSchemas.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the testkit jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the document type names */
  public Set<String> documentTypes() {
    return types.keySet();
  }

  /** @return the fields of a document type, or null when the type does not exist */
  Map<String, FieldType> fields(String documentType) {
    return types.get(documentType);
  }

  /** @return field name → type spelling of a document type, empty when it does not exist */
  public Map<String, String> describe(String documentType) {
    Map<String, String> out = new LinkedHashMap<>();
    Map<String, FieldType> fields = types.get(documentType);
    if (fields != null) {
      fields.forEach((name, type) -> out.put(name, type.name));
    }
    return out;
  }
}
