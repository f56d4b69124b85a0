package ai.pintxo.weaver.testkit.vespa;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The /document/v1 API as Vespa's {@code DocumentV1ApiHandler} answers it: routes, id mapping,
 * parameters, document JSON validation against the schemas, response bodies and status codes.
 * Shared by all server instances; all state is thread-safe.
 */
final class DocumentV1Handler implements Handler<HttpServerRequest> {

  private static final String PREFIX = "/document/v1/";
  private static final String JSON = "application/json; charset=UTF-8";
  private static final long DEFAULT_TIMEOUT_MILLIS = 180_000;
  private static final String CLUSTER = "content";

  private final Vertx vertx;
  private final VespaSchemas schemas;
  private final DocumentStore store;
  private final VespaFaults faults;
  private final VespaEmulatorOptions options;
  private final ObjectMapper mapper = new ObjectMapper();
  private final AtomicInteger inflight = new AtomicInteger();
  private final Map<Integer, LongAdder> statusCounts = new ConcurrentHashMap<>();

  DocumentV1Handler(Vertx vertx, VespaSchemas schemas, DocumentStore store, VespaFaults faults, VespaEmulatorOptions options) {
    this.vertx = vertx;
    this.schemas = schemas;
    this.store = store;
    this.faults = faults;
    this.options = options;
  }

  Map<Integer, LongAdder> statusCounts() {
    return statusCounts;
  }

  @Override
  public void handle(HttpServerRequest req) {
    String path = req.path();
    if (!path.startsWith(PREFIX) && !path.equals(PREFIX.substring(0, PREFIX.length() - 1))) {
      notFound(req, path);
      return;
    }
    for (Map.Entry<String, String> param : req.params()) {
      if (param.getValue().isEmpty()) {
        respond(req, 400, body(path, null, "Expected non-empty value for request property '" + param.getKey() + "'"));
        return;
      }
    }
    String rest = path.length() > PREFIX.length() ? path.substring(PREFIX.length()) : "";
    if (rest.isEmpty()) {
      if (req.method() == HttpMethod.GET) {
        visit(req, path, null);
      } else {
        unsupported(req, path, req.method() + " at the root");
      }
      return;
    }
    String[] segments = rest.split("/", -1);
    if (segments.length < 3) {
      notFound(req, path);
      return;
    }
    String namespace = decode(segments[0]);
    String type = decode(segments[1]);
    String modifier;
    int idStart;
    switch (segments[2]) {
      case "docid" -> {
        modifier = "";
        idStart = 3;
      }
      case "group", "number" -> {
        if (segments.length < 4) {
          notFound(req, path);
          return;
        }
        modifier = (segments[2].equals("group") ? "g=" : "n=") + decode(segments[3]);
        idStart = 4;
      }
      default -> {
        notFound(req, path);
        return;
      }
    }
    if (idStart >= segments.length || (idStart == segments.length - 1 && segments[idStart].isEmpty())) {
      if (req.method() == HttpMethod.GET) {
        visit(req, path, type);
      } else {
        unsupported(req, path, req.method() + " of a document selection");
      }
      return;
    }
    StringBuilder user = new StringBuilder();
    try {
      for (int i = idStart; i < segments.length; i++) {
        if (i > idStart) {
          user.append('/');
        }
        user.append(decode(segments[i]));
      }
    } catch (IllegalArgumentException e) {
      respond(req, 400, body(path, null, "Invalid document id path: " + e.getMessage()));
      return;
    }
    String userId = user.toString();
    String id = "id:" + namespace + ":" + type + ":" + modifier + ":" + userId;
    HttpMethod method = req.method();
    if (method == HttpMethod.OPTIONS) {
      req.response().setStatusCode(204).putHeader("Allow", "GET,POST,PUT,DELETE").end();
      count(204);
      return;
    }
    if (method != HttpMethod.GET && method != HttpMethod.POST && method != HttpMethod.PUT && method != HttpMethod.DELETE) {
      respond(req, 405, body(path, null, "'" + method + "' not allowed at '" + path + "'. Allowed methods are: GET, POST, PUT, DELETE"));
      return;
    }
    if (req.params().contains("dryRun")) {
      if (method == HttpMethod.GET) {
        respond(req, 400, body(path, null, "May not specify 'dryRun' at '" + path + "'"));
      } else {
        respond(req, 200, body(path, id, null));
      }
      return;
    }
    if (schemas.fields(type) == null) {
      respond(req, 400, body(path, null, "Document type " + type + " does not exist"));
      return;
    }
    long timeoutMillis;
    try {
      timeoutMillis = timeoutMillis(req.params());
    } catch (IllegalArgumentException e) {
      respond(req, 400, body(path, null, e.getMessage()));
      return;
    }
    if (method == HttpMethod.GET) {
      ObjectNode doc = store.get(type, userId);
      ObjectNode out = body(path, id, null);
      if (doc == null) {
        respond(req, 404, out);
      } else {
        out.set("fields", doc.deepCopy());
        respond(req, 200, out);
      }
      return;
    }
    operate(req, path, type, userId, id, timeoutMillis);
  }

  private void operate(HttpServerRequest req, String path, String type, String userId, String id, long timeoutMillis) {
    if (faults.inOutage()) {
      req.connection().close();
      return;
    }
    String length = req.getHeader("Content-Length");
    if (length != null && Long.parseLong(length) > options.getMaxDocumentBytes()) {
      respond(req, 413, body(path, null, "Document operation request size " + length + " bytes exceeds maximum size of "
          + options.getMaxDocumentBytes() + " bytes. See https://docs.vespa.ai/en/reference/services-container.html#document-api"));
      return;
    }
    int current = inflight.incrementAndGet();
    if (current > faults.maxInflight()) {
      inflight.decrementAndGet();
      respond(req, 429, body(path, null, "Rejecting execution due to overload: " + (current - 1) + " requests already enqueued"));
      return;
    }
    req.body().onComplete(ar -> {
      if (ar.failed()) {
        inflight.decrementAndGet();
        return; // the client went away
      }
      long delay = faults.latencyMillis();
      if (delay > timeoutMillis) {
        vertx.setTimer(Math.max(1, timeoutMillis), t -> {
          inflight.decrementAndGet();
          respond(req, 504, body(path, id, "Timeout after " + timeoutMillis + "ms"));
        });
      } else if (delay > 0) {
        vertx.setTimer(delay, t -> execute(req, path, type, userId, id, ar.result()));
      } else {
        execute(req, path, type, userId, id, ar.result());
      }
    });
  }

  private void execute(HttpServerRequest req, String path, String type, String userId, String id, Buffer requestBody) {
    try {
      if (faults.inOutage()) {
        req.connection().close();
        return;
      }
      int injected = faults.injectedStatus(userId);
      if (injected != 0) {
        respond(req, injected, injectedBody(injected, path, id));
        return;
      }
      switch (req.method().name()) {
        case "POST" -> put(req, path, type, userId, id, requestBody);
        case "PUT" -> update(req, path, type, userId, id, requestBody);
        case "DELETE" -> {
          if (!conditionHolds(req, path, type, userId, id, null)) {
            return;
          }
          store.remove(type, userId);
          respond(req, 200, body(path, id, null));
        }
        default -> throw new IllegalStateException(req.method().name());
      }
    } finally {
      inflight.decrementAndGet();
    }
  }

  /**
   * Test-and-set: with a {@code condition} (the query's, else the body's), a missing document answers 412
   * unless the operation creates it, and a document that does not match answers 412 (see {@link Selection}
   * for what the emulator evaluates). Checked after the body parsed and before the operation, not atomically
   * with it: the feeder sends one operation per document at a time. Answers and returns false when the
   * operation must not go on.
   */
  private boolean conditionHolds(HttpServerRequest req, String path, String type, String userId, String id, JsonNode body) {
    String condition = lastParam(req, "condition");
    if (condition == null && body != null && body.path("condition").isTextual()) {
      condition = body.path("condition").asText();
    }
    if (condition == null || !store.keeps()) {
      return true;
    }
    Selection selection;
    try {
      selection = Selection.parse(condition);
    } catch (IllegalArgumentException e) {
      respond(req, 400, body(path, null, e.getMessage()));
      return false;
    }
    ObjectNode current = store.get(type, userId);
    String createParam = lastParam(req, "create");
    boolean create = createParam != null ? "true".equals(createParam) : body != null && body.path("create").asBoolean(false);
    if (current == null) {
      if (create && req.method() != HttpMethod.DELETE) {
        return true;
      }
      respond(req, 412, body(path, id, "[TEST_AND_SET_CONDITION_FAILED @ localhost]: Document does not exist"));
      return false;
    }
    if (!selection.matches(type, current)) {
      respond(req, 412, body(path, id, "[TEST_AND_SET_CONDITION_FAILED @ localhost]: Condition did not match document"));
      return false;
    }
    return true;
  }

  private void put(HttpServerRequest req, String path, String type, String userId, String id, Buffer requestBody) {
    JsonNode root = parse(req, path, requestBody);
    if (root == null) {
      return;
    }
    JsonNode fields = root.get("fields");
    if (fields == null || !fields.isObject()) {
      respond(req, 400, body(path, null, "put of document " + id + " is missing a 'fields' map"));
      return;
    }
    ObjectNode document = JsonNodeFactory.instance.objectNode();
    boolean ignored = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      FieldType fieldType = schemas.fields(type).get(field.getKey());
      if (fieldType == null) {
        if (options.isIgnoreUndefinedFields()) {
          ignored = true;
          continue;
        }
        respond(req, 400, body(path, null, undefinedField(field.getKey(), type)));
        return;
      }
      String problem = isEmpty(field.getValue()) ? null : fieldType.check(field.getValue());
      if (problem != null) {
        respond(req, 400, body(path, null, badValue(id, field.getKey(), fieldType, problem)));
        return;
      }
      if (!isEmpty(field.getValue())) {
        document.set(field.getKey(), fieldType.normalize(field.getValue()));
      }
    }
    if (!conditionHolds(req, path, type, userId, id, root)) {
      return;
    }
    store.put(type, userId, document);
    respondIgnoring(req, body(path, id, null), ignored);
  }

  private void update(HttpServerRequest req, String path, String type, String userId, String id, Buffer requestBody) {
    JsonNode root = parse(req, path, requestBody);
    if (root == null) {
      return;
    }
    JsonNode fields = root.get("fields");
    if (fields == null || !fields.isObject()) {
      respond(req, 400, body(path, null, "Update of document " + id + " is missing a 'fields' map"));
      return;
    }
    ObjectNode accepted = JsonNodeFactory.instance.objectNode();
    boolean ignored = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      FieldType fieldType = schemas.fields(type).get(field.getKey());
      if (fieldType == null) {
        if (options.isIgnoreUndefinedFields()) {
          ignored = true;
          continue;
        }
        respond(req, 400, body(path, null, undefinedField(field.getKey(), type)));
        return;
      }
      String problem = checkUpdate(field.getValue(), fieldType);
      if (problem != null) {
        respond(req, 400, body(path, null, badValue(id, field.getKey(), fieldType, problem)));
        return;
      }
      accepted.set(field.getKey(), normalizeAssign(field.getValue(), fieldType));
    }
    // The query parameter wins over the body's "create", as in Vespa's handler.
    String createParam = lastParam(req, "create");
    boolean create = createParam != null ? "true".equals(createParam) : root.path("create").asBoolean(false);
    if (!conditionHolds(req, path, type, userId, id, root)) {
      return;
    }
    store.update(type, userId, accepted, create, FieldOperations::apply);
    respondIgnoring(req, body(path, id, null), ignored);
  }

  /** An assigned value is stored as Vespa converts it to the field's type; other operations' arguments are applied as given. */
  private static JsonNode normalizeAssign(JsonNode operations, FieldType type) {
    JsonNode assigned = operations.get("assign");
    if (assigned == null || isEmpty(assigned)) {
      return operations;
    }
    ObjectNode copy = ((ObjectNode) operations).deepCopy();
    copy.set("assign", type.normalize(assigned));
    return copy;
  }

  private static String checkUpdate(JsonNode operation, FieldType type) {
    if (!operation.isObject() || operation.isEmpty()) {
      return "Expected a field update operation object, got " + operation.getNodeType();
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = operation.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> op = it.next();
      String problem = FieldOperations.check(op.getKey(), op.getValue(), type);
      if (problem != null) {
        return problem;
      }
    }
    return null;
  }

  private JsonNode parse(HttpServerRequest req, String path, Buffer requestBody) {
    if (requestBody.length() == 0) {
      respond(req, 400, body(path, null, "Could not read document, no document?"));
      return null;
    }
    try {
      JsonNode root = mapper.readTree(requestBody.getBytes());
      if (root == null || !root.isObject()) {
        respond(req, 400, body(path, null, "failed parsing document: expected start of root object, got "
            + (root == null ? "null" : root.getNodeType())));
        return null;
      }
      return root;
    } catch (JsonProcessingException e) {
      respond(req, 400, body(path, null, "failed parsing document: " + e.getOriginalMessage()));
      return null;
    } catch (java.io.IOException e) {
      respond(req, 400, body(path, null, "failed parsing document: " + e.getMessage()));
      return null;
    }
  }

  private void visit(HttpServerRequest req, String path, String onlyType) {
    if (req.params().contains("dryRun")) {
      respond(req, 400, body(path, null, "May not specify 'dryRun' at '" + path + "'"));
      return;
    }
    String cluster = lastParam(req, "cluster");
    if (cluster != null && !cluster.equals(CLUSTER)) {
      respond(req, 400, body(path, null, "Your Vespa deployment has no content cluster '" + cluster + "', only '" + CLUSTER + "'"));
      return;
    }
    if (req.params().contains("selection")) {
      unsupported(req, path, "visiting with a selection");
      return;
    }
    if (onlyType != null && schemas.fields(onlyType) == null) {
      respond(req, 400, body(path, null, "Document type " + onlyType + " does not exist"));
      return;
    }
    int wanted;
    try {
      String wantedParam = lastParam(req, "wantedDocumentCount");
      wanted = Integer.parseInt(wantedParam == null ? "100" : wantedParam);
    } catch (NumberFormatException e) {
      respond(req, 400, body(path, null, "Failed parsing 'wantedDocumentCount': " + e.getMessage()));
      return;
    }
    wanted = Math.max(1, Math.min(wanted, 1024));
    String startType = onlyType == null ? "" : onlyType;
    String startAfter = null;
    String continuation = lastParam(req, "continuation");
    if (continuation != null) {
      String decoded;
      try {
        decoded = new String(Base64.getUrlDecoder().decode(continuation), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        decoded = "";
      }
      int sep = decoded.indexOf('\n');
      if (sep < 0) {
        respond(req, 400, body(path, null, "Failed parsing continuation token '" + continuation + "'"));
        return;
      }
      startType = decoded.substring(0, sep);
      startAfter = decoded.substring(sep + 1);
    }
    ObjectNode out = body(path, null, null);
    ArrayNode documents = out.putArray("documents");
    String lastType = null;
    String lastId = null;
    boolean more = false;
    outer:
    for (String type : new java.util.TreeSet<>(schemas.documentTypes()).tailSet(startType)) {
      if (onlyType != null && !type.equals(onlyType)) {
        continue;
      }
      NavigableMap<String, ObjectNode> docs = store.type(type);
      NavigableMap<String, ObjectNode> from = startAfter != null && type.equals(startType) ? docs.tailMap(startAfter, false) : docs;
      for (Map.Entry<String, ObjectNode> doc : from.entrySet()) {
        if (documents.size() == wanted) {
          more = true;
          break outer;
        }
        documents.addObject().put("id", "id:pintxo:" + type + "::" + doc.getKey()).set("fields", doc.getValue().deepCopy());
        lastType = type;
        lastId = doc.getKey();
      }
    }
    out.put("documentCount", documents.size());
    if (more) {
      out.put("continuation", Base64.getUrlEncoder().encodeToString((lastType + "\n" + lastId).getBytes(StandardCharsets.UTF_8)));
    }
    respond(req, 200, out);
  }

  private static boolean isEmpty(JsonNode value) {
    return value.isNull() || (value.isTextual() && value.asText().isEmpty()) || (value.isContainerNode() && value.isEmpty());
  }

  private static String undefinedField(String field, String type) {
    return "Field '" + field + "' is not defined in document type '" + type + "'";
  }

  private static String badValue(String id, String field, FieldType type, String problem) {
    return "In document '" + id + "': Could not parse field '" + field + "' of type " + type.name + ": " + problem;
  }

  private ObjectNode injectedBody(int status, String path, String id) {
    return switch (status) {
      case 429 -> body(path, null, "Rejecting execution due to overload: 256 requests already enqueued");
      case 400 -> body(path, id, "[REJECTED @ localhost]: Document rejected by the emulator's fault switch");
      case 412 -> body(path, id, "[TEST_AND_SET_CONDITION_FAILED @ localhost]: Condition did not match document");
      case 500 -> body(path, id, "[FATAL_ERROR @ localhost]: FATAL_ERROR");
      case 503 -> body(path, null, "Service unavailable: the container is overloaded or shutting down");
      case 504 -> body(path, id, "Timeout after 180000ms");
      case 507 -> body(path, id, "[UNKNOWN(251009) @ tcp/localhost:19112/default]: ReturnCode(NO_SPACE, External feed is blocked due to "
          + "resource exhaustion: disk on node 0 [localhost] (0.840 > 0.800))");
      default -> body(path, id, "Injected status " + status);
    };
  }

  private void unsupported(HttpServerRequest req, String path, String what) {
    respond(req, 400, body(path, null, what + " is not supported by the Vespa emulator"));
  }

  private void notFound(HttpServerRequest req, String path) {
    respond(req, 404, body(path, null, "Nothing at '" + path + "'. Available paths are:\n/document/v1/\n"
        + "/document/v1/{namespace}/{documentType}/docid/\n/document/v1/{namespace}/{documentType}/group/{group}/\n"
        + "/document/v1/{namespace}/{documentType}/number/{number}/\n/document/v1/{namespace}/{documentType}/docid/{*}\n"
        + "/document/v1/{namespace}/{documentType}/group/{group}/{*}\n/document/v1/{namespace}/{documentType}/number/{number}/{*}"));
  }

  private ObjectNode body(String path, String id, String message) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("pathId", path);
    if (id != null) {
      out.put("id", id);
    }
    if (message != null) {
      out.put("message", message);
    }
    return out;
  }

  private void respondIgnoring(HttpServerRequest req, ObjectNode body, boolean ignoredFields) {
    if (ignoredFields) {
      req.response().putHeader("X-Vespa-Ignored-Fields", "true");
    }
    respond(req, 200, body);
  }

  private void respond(HttpServerRequest req, int status, ObjectNode body) {
    count(status);
    if (req.response().ended() || req.response().closed()) {
      return;
    }
    try {
      req.response().setStatusCode(status).putHeader("Content-Type", JSON).end(Buffer.buffer(mapper.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private void count(int status) {
    statusCounts.computeIfAbsent(status, s -> new LongAdder()).increment();
  }

  /** @return the last value of a repeated request parameter, as Vespa reads it, or null */
  private static String lastParam(HttpServerRequest req, String name) {
    java.util.List<String> values = req.params().getAll(name);
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static String decode(String segment) {
    return URLDecoder.decode(segment, StandardCharsets.UTF_8);
  }

  /** Parses {@code timeout} as the handler does: seconds, or a number with unit ks, s, ms, µs/us. */
  static long timeoutMillis(MultiMap params) {
    String raw = params.getAll("timeout").isEmpty() ? null : params.getAll("timeout").get(params.getAll("timeout").size() - 1);
    if (raw == null) {
      return DEFAULT_TIMEOUT_MILLIS;
    }
    String s = raw.trim();
    double factor = 1000;
    String number = s;
    if (s.endsWith("ms")) {
      factor = 1;
      number = s.substring(0, s.length() - 2);
    } else if (s.endsWith("µs") || s.endsWith("us")) {
      factor = 0.001;
      number = s.substring(0, s.length() - 2);
    } else if (s.endsWith("ks")) {
      factor = 1_000_000;
      number = s.substring(0, s.length() - 2);
    } else if (s.endsWith("s")) {
      number = s.substring(0, s.length() - 1);
    }
    try {
      return Math.max(0, Math.round(Double.parseDouble(number) * factor));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Invalid duration '" + raw + "' for request property 'timeout'");
    }
  }
}
