package ai.pintxo.weaver.poller;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The {@link ApiHandler}s of the built-in data types ({@link BuiltInDataTypes}) and those on the classpath, by data type. */
public final class ApiHandlers {

  private static final ApiHandlers INSTALLED = load(ApiHandlers.class.getClassLoader());

  private final Map<String, ApiHandler<?>> byDataType;

  private ApiHandlers(Map<String, ApiHandler<?>> byDataType) {
    this.byDataType = Collections.unmodifiableMap(byDataType);
  }

  /** @return the built-in data types' handlers and those listed in {@code META-INF/services} of the weaver's class loader */
  public static ApiHandlers installed() {
    return INSTALLED;
  }

  /**
   * @throws IllegalStateException when two handlers claim one data type
   */
  public static ApiHandlers load(ClassLoader loader) {
    Map<String, ApiHandler<?>> map = new TreeMap<>();
    List<ApiHandler<?>> all = new ArrayList<>(BuiltInDataTypes.handlers());
    ServiceLoader.load(ApiHandler.class, loader).forEach(all::add);
    for (ApiHandler<?> handler : all) {
      ApiHandler<?> previous = map.putIfAbsent(handler.dataType(), handler);
      if (previous != null) {
        throw new IllegalStateException("data type '" + handler.dataType() + "' has two handlers: "
            + previous.getClass().getName() + " and " + handler.getClass().getName());
      }
    }
    return new ApiHandlers(map);
  }

  /** @return the handler of a data type */
  public Optional<ApiHandler<?>> forDataType(String dataType) {
    return Optional.ofNullable(byDataType.get(dataType));
  }

  /** @return the known data types, sorted */
  public java.util.Set<String> dataTypes() {
    return byDataType.keySet();
  }
}
