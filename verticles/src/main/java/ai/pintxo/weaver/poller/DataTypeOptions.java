package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.connector.RecordShape;
import io.vertx.core.json.JsonObject;

/**
 * One built-in data type ({@code data-types.json} next to this class): what an endpoint entry naming
 * only its {@code dataType} gets, said with the keys a declared endpoint uses ({@code recordsAt},
 * {@code recordClass} or {@code fields}, {@code documentType}). The original endpoints files keep
 * working unchanged, and a built-in data type costs one line here instead of a handler class.
 */
public final class DataTypeOptions extends Options<DataTypeOptions> {

  public static final OptionSpec<DataTypeOptions> SPEC = new OptionSpec<>("dataTypes[]",
      "A built-in data type: its records' shape and where they are in a response", DataTypeOptions::new);
  static final Option<String> DATA_TYPE = SPEC.required("dataType", OptionTypes.nonBlank(), "the data type endpoints name");
  static final Option<String> RECORDS_AT = EndpointOptions.declareRecordsAt(SPEC);
  static final RecordShape.Keys SHAPE = new RecordShape.Keys(SPEC);

  static {
    SPEC.rule(o -> {
      RecordShape shape = SHAPE.read(o);
      if (shape == null) {
        throw new ConfigException(o.key("recordClass"), "set recordClass or fields");
      }
      o.handler = JsonArrayHandler.of(o.getDataType(), shape, EndpointOptions.envelopeField(o, RECORDS_AT));
      o.shape = shape;
    });
  }

  private ApiHandler<?> handler;
  private RecordShape shape;

  public DataTypeOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public DataTypeOptions(JsonObject json, String path) {
    super(SPEC, json, path);
  }

  public String getDataType() {
    return get(DATA_TYPE);
  }

  /** @return its handler, built when the options were read */
  ApiHandler<?> handler() {
    return handler;
  }

  /** @return its records' shape */
  RecordShape shape() {
    return shape;
  }
}
