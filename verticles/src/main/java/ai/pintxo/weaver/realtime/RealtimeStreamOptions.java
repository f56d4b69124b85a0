package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionType;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One real-time stream of a {@link RealtimeSourceVerticle}: where it is (SSE or WebSocket URL,
 * headers, subscribe messages), which events count ({@code eventType} for SSE), how an event
 * becomes records ({@link RecordMapping}: record class, {@code recordsAt}, {@code requiredField})
 * and the topic they go to. Header values hold secrets: they are never logged or printed.
 */
public final class RealtimeStreamOptions extends Options<RealtimeStreamOptions> {

  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);

  public static final OptionSpec<RealtimeStreamOptions> SPEC = new OptionSpec<>("streams[]",
      "One JSON stream (SSE or WebSocket) to a topic of typed records", RealtimeStreamOptions::new);
  static final Option<String> NAME = SPEC.required("name", OptionTypes.nonBlank(), "the stream's name, in logs and metrics");
  static final Option<Transport> TRANSPORT = SPEC.option("transport", OptionTypes.lowerCaseEnum(Transport.class), Transport.SSE,
      "sse or websocket");
  static final Option<String> URL = SPEC.required("url", OptionTypes.nonBlank(), "the stream's URL (http(s) for SSE; ws(s) or http(s) for WebSocket)");
  static final Option<Map<String, String>> HEADERS = SPEC.option("headers", OptionTypes.stringMap(), Map.of(),
      "request headers (tokens); never printed");
  static final Option<List<String>> SUBSCRIBE = SPEC.option("subscribe", subscribeMessages(), List.of(),
      "messages sent after every WebSocket connect (objects or strings)");
  static final Option<String> EVENT_TYPE = SPEC.option("eventType", OptionTypes.nonBlank(), "message", "the SSE event type that carries records");
  static final Option<String> RECORD_CLASS = SPEC.required("recordClass", OptionTypes.nonBlank(),
      "the record class (a Java record implementing Keyed)");
  static final Option<String> RECORDS_AT = SPEC.option("recordsAt", OptionTypes.string(), "",
      "JSON pointer to the record, or an array of them, in each message");
  static final Option<String> REQUIRED_FIELD = SPEC.optional("requiredField", OptionTypes.nonBlank(),
      "JSON pointer a message must have to hold records (others, such as acknowledgements, are skipped)");
  static final Option<String> TOPIC = SPEC.required("topic", OptionTypes.nonBlank(), "the Kafka topic of the records");
  static final Option<String> DOCUMENT_TYPE = SPEC.optional("documentType", OptionTypes.nonBlank(),
      "the Vespa document type the deployment's engine connector feeds the records to (generic processor); unset: Kafka only");
  static final Option<Duration> PING_INTERVAL = SPEC.option("pingInterval", OptionTypes.duration(), DEFAULT_PING_INTERVAL,
      "WebSocket ping interval; pongs count as life");
  static final StreamOptions.Keys STREAM = new StreamOptions.Keys(SPEC);

  static {
    SPEC.rule(RealtimeStreamOptions::check);
  }

  private RecordMapping<?> mapping;

  public RealtimeStreamOptions() {
    super(SPEC);
  }

  /** @throws ConfigException naming the bad key */
  public RealtimeStreamOptions(JsonObject json) {
    super(SPEC, json, SPEC.path());
  }

  private void check() {
    String url = getUrl();
    Transport transport = getTransport();
    String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
    List<String> schemes = transport == Transport.SSE ? List.of("http", "https") : List.of("ws", "wss", "http", "https");
    if (!schemes.contains(scheme)) {
      throw new ConfigException(key("url"), "must be a " + String.join("/", schemes) + " URL for transport "
          + transport.name().toLowerCase(Locale.ROOT) + ", was '" + url + "'");
    }
    if (!getSubscribe().isEmpty() && transport != Transport.WEBSOCKET) {
      throw new ConfigException(key("subscribe"), "subscribe messages need transport \"websocket\"");
    }
    try {
      mapping = RecordMapping.of(getTopic(), getRecordClass(), getRecordsAt(), getRequiredField());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key("recordClass"), e.getMessage());
    }
  }

  /** Subscribe messages: a JSON object, an array of objects or strings, or comma-separated text; kept as text. */
  private static OptionType<List<String>> subscribeMessages() {
    OptionType<List<String>> strings = OptionTypes.stringList();
    return new OptionType<>() {
      @Override
      public List<String> parse(Object raw, String key) {
        if (raw instanceof JsonObject o) {
          return new ArrayList<>(List.of(o.encode()));
        }
        if (raw instanceof JsonArray a && a.stream().anyMatch(e -> e instanceof JsonObject)) {
          List<String> out = new ArrayList<>();
          a.forEach(e -> out.add(e instanceof JsonObject o ? o.encode() : String.valueOf(e)));
          return out;
        }
        return strings.parse(raw, key);
      }

      @Override
      public Object toJson(List<String> value) {
        return strings.toJson(value);
      }

      @Override
      public List<String> copy(List<String> value) {
        return strings.copy(value);
      }

      @Override
      public String describe() {
        return "list of messages";
      }
    };
  }

  /** @return the mapping of the configured record class; built and checked when the options are */
  RecordMapping<?> mapping() {
    if (mapping == null) {
      mapping = RecordMapping.of(getTopic(), getRecordClass(), getRecordsAt(), getRequiredField());
    }
    return mapping;
  }

  private RealtimeStreamOptions mappingChanged() {
    mapping = null;
    return this;
  }

  public String getName() {
    return get(NAME);
  }

  public RealtimeStreamOptions setName(String name) {
    return set(NAME, name);
  }

  public Transport getTransport() {
    return get(TRANSPORT);
  }

  public RealtimeStreamOptions setTransport(Transport transport) {
    return set(TRANSPORT, transport);
  }

  public String getUrl() {
    return get(URL);
  }

  public RealtimeStreamOptions setUrl(String url) {
    return set(URL, url);
  }

  public Map<String, String> getHeaders() {
    return get(HEADERS);
  }

  public RealtimeStreamOptions setHeaders(Map<String, String> headers) {
    return set(HEADERS, new LinkedHashMap<>(headers));
  }

  public List<String> getSubscribe() {
    return get(SUBSCRIBE);
  }

  public RealtimeStreamOptions setSubscribe(List<String> subscribe) {
    return set(SUBSCRIBE, new ArrayList<>(subscribe));
  }

  public String getEventType() {
    return get(EVENT_TYPE);
  }

  public RealtimeStreamOptions setEventType(String eventType) {
    return set(EVENT_TYPE, eventType);
  }

  public String getRecordClass() {
    return get(RECORD_CLASS);
  }

  public RealtimeStreamOptions setRecordClass(String recordClass) {
    return set(RECORD_CLASS, recordClass).mappingChanged();
  }

  public String getRecordsAt() {
    return get(RECORDS_AT);
  }

  public RealtimeStreamOptions setRecordsAt(String recordsAt) {
    return set(RECORDS_AT, recordsAt).mappingChanged();
  }

  public String getRequiredField() {
    return get(REQUIRED_FIELD);
  }

  public RealtimeStreamOptions setRequiredField(String requiredField) {
    return set(REQUIRED_FIELD, requiredField).mappingChanged();
  }

  public String getTopic() {
    return get(TOPIC);
  }

  public RealtimeStreamOptions setTopic(String topic) {
    return set(TOPIC, topic).mappingChanged();
  }

  /** @return the Vespa document type the records are fed to, null when they stay in Kafka for others */
  public String getDocumentType() {
    return get(DOCUMENT_TYPE);
  }

  public RealtimeStreamOptions setDocumentType(String documentType) {
    return set(DOCUMENT_TYPE, documentType);
  }

  public Duration getPingInterval() {
    return get(PING_INTERVAL);
  }

  public RealtimeStreamOptions setPingInterval(Duration pingInterval) {
    return set(PING_INTERVAL, pingInterval);
  }

  public StreamOptions getStream() {
    return STREAM.read(this);
  }

  public RealtimeStreamOptions setStream(StreamOptions stream) {
    STREAM.write(this, stream);
    return this;
  }
}
