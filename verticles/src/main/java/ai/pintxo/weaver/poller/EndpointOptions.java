package ai.pintxo.weaver.poller;

import ai.pintxo.weaver.config.ConfigException;
import ai.pintxo.weaver.config.Option;
import ai.pintxo.weaver.config.OptionSpec;
import ai.pintxo.weaver.config.OptionTypes;
import ai.pintxo.weaver.config.Options;
import ai.pintxo.weaver.connector.DocumentProcessors;
import ai.pintxo.weaver.connector.RecordShape;
import ai.pintxo.weaver.connector.RecordTopicOptions;
import com.fasterxml.jackson.core.JsonPointer;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;

/**
 * One entry of the endpoints file, in the original shape ({@code endpoint}, {@code dataType},
 * {@code responseType}) plus optional per-endpoint settings. {@code dataType} names a built-in data
 * type ({@link BuiltInDataTypes}, or a handler class where mapping needs code), or the endpoint
 * declares its records itself, with no class: a record class or {@code fields} (JSON pointer → type)
 * with {@code idField}, {@code recordsAt} and {@code documentType} ({@link RecordShape}); the
 * connector then feeds them with its generic processor.
 * <ul>
 *   <li>{@code interval} (e.g. {@code "6h"}) or {@code cron} (e.g. {@code "0 6 * * *"}, UTC), not both;
 *       without either the poller's {@code defaultInterval} applies;</li>
 *   <li>{@code conditional} (default true): send {@code If-None-Match} / {@code If-Modified-Since}
 *       from the last complete response, and take a 304 as "nothing new";</li>
 *   <li>{@code maxPages} (default {@value #DEFAULT_MAX_PAGES}): JSON:API pages followed per poll via {@code links.next};</li>
 *   <li>{@code rateLimit} ({@code {"requests": 30, "period": "1m"}}): the budget of the endpoint's host,
 *       shared by every endpoint on that host; the first endpoint to name the host sets it.</li>
 * </ul>
 */
public final class EndpointOptions extends Options<EndpointOptions> {

  /** GeckoTerminal serves 10 pages of 20 new pools. */
  public static final int DEFAULT_MAX_PAGES = 10;

  public static final OptionSpec<EndpointOptions> SPEC = new OptionSpec<>("endpoints[]",
      "One polled endpoint, in the original endpoints.json shape", EndpointOptions::new);
  static final Option<String> ENDPOINT = SPEC.required("endpoint", OptionTypes.httpUrl(), "the URL to poll");
  static final Option<String> DATA_TYPE = SPEC.required("dataType", OptionTypes.nonBlank(),
      "a built-in data type, or the name of a declared one; records go to <dataType>-api-topic");
  static final Option<String> RECORDS_AT = declareRecordsAt(SPEC);
  static final RecordShape.Keys SHAPE = new RecordShape.Keys(SPEC);
  static final Option<String> RESPONSE_TYPE = SPEC.option("responseType", OptionTypes.oneOf("json"), "json", "the response format");
  static final Option<Duration> INTERVAL = SPEC.optional("interval", OptionTypes.duration(),
      "how often to poll (default: the poller's defaultInterval)");
  static final Option<CronSchedule> CRON = SPEC.optional("cron", OptionTypes.fromText("cron expression (UTC)", CronSchedule::parse,
      CronSchedule::toString), "when to poll instead of an interval, e.g. \"0 6 * * *\"");
  static final Option<Boolean> CONDITIONAL = SPEC.option("conditional", OptionTypes.bool(), true,
      "send If-None-Match / If-Modified-Since from the last complete response; a 304 means nothing new");
  static final Option<Integer> MAX_PAGES = SPEC.option("maxPages", OptionTypes.integer(1, 1000), DEFAULT_MAX_PAGES,
      "JSON:API pages followed per poll via links.next");
  static final Option<RateLimitOptions> RATE_LIMIT = SPEC.optional("rateLimit", OptionTypes.options(RateLimitOptions.SPEC),
      "the budget of the endpoint's host (the first endpoint to name the host sets it)");

  static {
    SPEC.rule(o -> {
      o.handler = o.buildHandler();
      if (o.getInterval().isPresent() && o.getCron().isPresent()) {
        throw new ConfigException(o.key("cron"), "set either interval or cron, not both");
      }
    });
  }

  private ApiHandler<?> handler;

  /** Declares {@code recordsAt} in a spec (endpoints, built-in data types). */
  static Option<String> declareRecordsAt(OptionSpec<?> spec) {
    return spec.optional("recordsAt", OptionTypes.string(),
        "JSON pointer to the array of records in the response: \"\" (the default) for a bare array, or one top-level field, e.g. /data");
  }

  /**
   * @return the envelope field {@code recordsAt} names, null for the whole response
   * @throws ConfigException for a malformed pointer, or one deeper than a top-level field
   */
  static String envelopeField(Options<?> o, Option<String> recordsAt) {
    String pointer = o.get(recordsAt);
    if (pointer == null || pointer.isEmpty()) {
      return null;
    }
    JsonPointer compiled;
    try {
      compiled = JsonPointer.compile(pointer);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(o.key("recordsAt"), "not a JSON pointer: '" + pointer + "' (\"\" or e.g. /data)");
    }
    if (!compiled.tail().matches() || compiled.getMatchingProperty().isEmpty()) {
      throw new ConfigException(o.key("recordsAt"), "'" + pointer + "': the records are read as a stream from the response itself"
          + " or from one top-level field (e.g. /data), not from deeper");
    }
    return compiled.getMatchingProperty();
  }

  /** Built-in data type, or a handler built from the declared shape; both checked here so a bad entry stops the launch. */
  private ApiHandler<?> buildHandler() {
    RecordShape shape = SHAPE.read(this);
    String dataType = getDataType();
    ApiHandlers handlers = ApiHandlers.installed();
    if (shape == null) {
      if (get(RECORDS_AT) != null) {
        throw new ConfigException(key("recordsAt"), "recordsAt goes with recordClass or fields (a built-in data type knows where its records are)");
      }
      if (SHAPE.documentType(this) != null) {
        throw new ConfigException(key("documentType"), "documentType goes with recordClass or fields");
      }
      return handlers.forDataType(dataType).orElseThrow(() -> new ConfigException(key("dataType"), "no handler for data type '" + dataType
          + "' (built in: " + String.join(", ", handlers.dataTypes()) + "; or declare its records with recordClass or fields)"));
    }
    if (handlers.forDataType(dataType).isPresent()) {
      throw new ConfigException(key("dataType"), "'" + dataType + "' is a built-in data type; an endpoint declaring its records names a data type of its own");
    }
    JsonArrayHandler<?> declared = JsonArrayHandler.of(dataType, shape, envelopeField(this, RECORDS_AT));
    String topic = declared.topic().name();
    if (shape.documentType() == null) {
      if (DocumentProcessors.installed().forTopic(topic).isEmpty()) {
        throw new ConfigException(key("documentType"), "required: the Vespa document type " + topic + " is fed to");
      }
    } else {
      try {
        shape.processor(topic);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key("recordClass"), e.getMessage());
      }
    }
    return declared;
  }

  /** @return the handler of this endpoint's data type: built in, or built from its declared records */
  public ApiHandler<?> handler() {
    if (handler == null) {
      handler = buildHandler();
    }
    return handler;
  }

  /** @return whether the endpoint declares its records (a record class or fields) rather than naming a built-in data type */
  public boolean declaresRecords() {
    return SHAPE.read(this) != null;
  }

  /** @return the connector's entry for this endpoint's topic, when it declares its records and their document type */
  public java.util.Optional<RecordTopicOptions> recordRoute() {
    RecordShape shape = SHAPE.read(this);
    if (shape == null || shape.documentType() == null) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.of(RecordTopicOptions.of(handler().topic().name(), SHAPE, this));
  }

  public EndpointOptions() {
    super(SPEC);
  }

  /** @param other the options to copy */
  public EndpointOptions(EndpointOptions other) {
    super(other);
  }

  /**
   * @param json one endpoint object
   * @param path its key, for messages
   * @throws ConfigException naming the bad key
   */
  public EndpointOptions(JsonObject json, String path) {
    super(SPEC, json, path);
  }

  public String getEndpoint() {
    return get(ENDPOINT);
  }

  public EndpointOptions setEndpoint(String endpoint) {
    return set(ENDPOINT, endpoint);
  }

  public String getDataType() {
    return get(DATA_TYPE);
  }

  public EndpointOptions setDataType(String dataType) {
    handler = null;
    return set(DATA_TYPE, dataType);
  }

  /** @return the pointer to the records in a response, for a declared endpoint ("" or unset: the response is the array) */
  public String getRecordsAt() {
    return get(RECORDS_AT);
  }

  public EndpointOptions setRecordsAt(String recordsAt) {
    handler = null;
    return set(RECORDS_AT, recordsAt);
  }

  /**
   * Declares the endpoint's records by fields (see {@link RecordShape.Keys}).
   *
   * @param fields       JSON pointer → type name or {@code {"name", "type"}}
   * @param idField      the field holding the document id
   * @param documentType the Vespa document type
   */
  public EndpointOptions setFields(JsonObject fields, String idField, String documentType) {
    handler = null;
    SHAPE.write(this, null, fields, idField, documentType);
    return this;
  }

  /** Declares the endpoint's records by a record class and the Vespa document type they are fed to. */
  public EndpointOptions setRecordClass(String recordClass, String documentType) {
    handler = null;
    SHAPE.write(this, recordClass, null, null, documentType);
    return this;
  }

  public String getResponseType() {
    return get(RESPONSE_TYPE);
  }

  public EndpointOptions setResponseType(String responseType) {
    return set(RESPONSE_TYPE, responseType);
  }

  /** @return the endpoint's own interval, if it has one */
  public Optional<Duration> getInterval() {
    return Optional.ofNullable(get(INTERVAL));
  }

  public EndpointOptions setInterval(Duration interval) {
    return set(INTERVAL, interval);
  }

  /** @return the endpoint's cron schedule, if it has one (it then has no interval) */
  public Optional<CronSchedule> getCron() {
    return Optional.ofNullable(get(CRON));
  }

  public EndpointOptions setCron(CronSchedule cron) {
    return set(CRON, cron);
  }

  /** @return whether requests carry the validators of the last complete response */
  public boolean isConditional() {
    return get(CONDITIONAL);
  }

  public EndpointOptions setConditional(boolean conditional) {
    return set(CONDITIONAL, conditional);
  }

  /** @return how many pages one poll follows at most */
  public int getMaxPages() {
    return get(MAX_PAGES);
  }

  public EndpointOptions setMaxPages(int maxPages) {
    return set(MAX_PAGES, maxPages);
  }

  /** @return the host's request budget, if this endpoint sets it */
  public Optional<RateLimit> getRateLimit() {
    return Optional.ofNullable(get(RATE_LIMIT)).map(RateLimitOptions::toRateLimit);
  }

  public EndpointOptions setRateLimit(RateLimit rateLimit) {
    return set(RATE_LIMIT, rateLimit == null ? null : new RateLimitOptions(rateLimit));
  }

  /**
   * A host's request budget.
   *
   * @param requests requests allowed per period
   * @param period   the period
   */
  public record RateLimit(int requests, Duration period) {
    public RateLimit {
      if (requests < 1 || period == null || period.isZero() || period.isNegative()) {
        throw new IllegalArgumentException("rate limit needs at least 1 request per positive period, was " + requests + " per " + period);
      }
    }
  }
}
