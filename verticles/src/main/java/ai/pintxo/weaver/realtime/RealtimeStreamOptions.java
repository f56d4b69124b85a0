package ai.pintxo.weaver.realtime;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.ConfigReader;
import ai.pintxo.weaver.config.Durations;
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
public final class RealtimeStreamOptions {

  public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);

  private String name;
  private Transport transport = Transport.SSE;
  private String url;
  private Map<String, String> headers = new LinkedHashMap<>();
  private List<String> subscribe = new ArrayList<>();
  private String eventType = "message";
  private String recordClass;
  private String recordsAt = "";
  private String requiredField;
  private String topic;
  private Duration pingInterval = DEFAULT_PING_INTERVAL;
  private StreamOptions stream = StreamOptions.DEFAULTS;
  private RecordMapping<?> mapping;

  public RealtimeStreamOptions() {
  }

  /** @throws ConfigException naming the bad key */
  public RealtimeStreamOptions(ConfigReader config) {
    name = config.requiredString("name");
    String transportName = config.string("transport", "sse").toLowerCase(Locale.ROOT);
    transport = Transport.named(transportName);
    if (transport == null) {
      throw new ConfigException(config.key("transport"), "must be \"sse\" or \"websocket\", was \"" + transportName + "\"");
    }
    url = config.requiredString("url");
    String scheme = url.contains(":") ? url.substring(0, url.indexOf(':')).toLowerCase(Locale.ROOT) : "";
    List<String> schemes = transport == Transport.SSE ? List.of("http", "https") : List.of("ws", "wss", "http", "https");
    if (!schemes.contains(scheme)) {
      throw new ConfigException(config.key("url"), "must be a " + String.join("/", schemes) + " URL for transport "
          + transportName + ", was '" + url + "'");
    }
    headers = new LinkedHashMap<>(config.stringMap("headers"));
    Object raw = config.raw().getValue("subscribe");
    if (raw instanceof JsonObject o) {
      subscribe = List.of(o.encode());
      config.has("subscribe");
    } else if (raw instanceof JsonArray a && a.stream().anyMatch(e -> e instanceof JsonObject)) {
      subscribe = new ArrayList<>();
      a.forEach(e -> subscribe.add(e instanceof JsonObject o ? o.encode() : String.valueOf(e)));
      config.has("subscribe");
    } else {
      subscribe = new ArrayList<>(config.strings("subscribe", List.of()));
    }
    if (!subscribe.isEmpty() && transport != Transport.WEBSOCKET) {
      throw new ConfigException(config.key("subscribe"), "subscribe messages need transport \"websocket\"");
    }
    eventType = config.string("eventType", "message");
    recordClass = config.requiredString("recordClass");
    recordsAt = config.string("recordsAt", "");
    requiredField = config.string("requiredField", null);
    topic = config.requiredString("topic");
    pingInterval = config.duration("pingInterval", DEFAULT_PING_INTERVAL);
    stream = StreamOptions.read(config);
    try {
      mapping = RecordMapping.of(topic, recordClass, recordsAt, requiredField);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(config.key("recordClass"), e.getMessage());
    }
    config.finish();
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("transport", transport.name().toLowerCase(Locale.ROOT))
        .put("url", url)
        .put("headers", new JsonObject(new LinkedHashMap<>(headers)))
        .put("subscribe", new JsonArray(new ArrayList<>(subscribe)))
        .put("eventType", eventType)
        .put("recordClass", recordClass)
        .put("recordsAt", recordsAt)
        .put("topic", topic)
        .put("pingInterval", Durations.format(pingInterval));
    stream.writeTo(json);
    if (requiredField != null) {
      json.put("requiredField", requiredField);
    }
    return json;
  }

  /** @return the mapping of the configured record class; built and checked when the options are */
  public RecordMapping<?> mapping() {
    if (mapping == null) {
      mapping = RecordMapping.of(topic, recordClass, recordsAt, requiredField);
    }
    return mapping;
  }

  public String getName() {
    return name;
  }

  public RealtimeStreamOptions setName(String name) {
    this.name = name;
    return this;
  }

  public Transport getTransport() {
    return transport;
  }

  public RealtimeStreamOptions setTransport(Transport transport) {
    this.transport = transport;
    return this;
  }

  public String getUrl() {
    return url;
  }

  public RealtimeStreamOptions setUrl(String url) {
    this.url = url;
    return this;
  }

  public Map<String, String> getHeaders() {
    return headers;
  }

  public RealtimeStreamOptions setHeaders(Map<String, String> headers) {
    this.headers = new LinkedHashMap<>(headers);
    return this;
  }

  public List<String> getSubscribe() {
    return subscribe;
  }

  public RealtimeStreamOptions setSubscribe(List<String> subscribe) {
    this.subscribe = new ArrayList<>(subscribe);
    return this;
  }

  public String getEventType() {
    return eventType;
  }

  public RealtimeStreamOptions setEventType(String eventType) {
    this.eventType = eventType;
    return this;
  }

  public String getRecordClass() {
    return recordClass;
  }

  public RealtimeStreamOptions setRecordClass(String recordClass) {
    this.recordClass = recordClass;
    this.mapping = null;
    return this;
  }

  public String getRecordsAt() {
    return recordsAt;
  }

  public RealtimeStreamOptions setRecordsAt(String recordsAt) {
    this.recordsAt = recordsAt;
    this.mapping = null;
    return this;
  }

  public String getRequiredField() {
    return requiredField;
  }

  public RealtimeStreamOptions setRequiredField(String requiredField) {
    this.requiredField = requiredField;
    this.mapping = null;
    return this;
  }

  public String getTopic() {
    return topic;
  }

  public RealtimeStreamOptions setTopic(String topic) {
    this.topic = topic;
    this.mapping = null;
    return this;
  }

  public Duration getPingInterval() {
    return pingInterval;
  }

  public RealtimeStreamOptions setPingInterval(Duration pingInterval) {
    this.pingInterval = pingInterval;
    return this;
  }

  public StreamOptions getStream() {
    return stream;
  }

  public RealtimeStreamOptions setStream(StreamOptions stream) {
    this.stream = stream;
    return this;
  }
}
