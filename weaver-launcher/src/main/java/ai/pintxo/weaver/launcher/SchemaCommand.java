package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.codecs.Keyed;
import ai.pintxo.weaver.connector.DocumentProcessor;
import ai.pintxo.weaver.connector.DocumentProcessors;
import ai.pintxo.weaver.connector.EngineConnectorOptions;
import ai.pintxo.weaver.connector.RecordDocumentProcessor;
import ai.pintxo.weaver.connector.schema.DocumentSchema;
import ai.pintxo.weaver.connector.schema.ProcessorSchema;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code weaver schema <recordClass | pipeline> [deployment.json]}: prints the Vespa schema of the
 * documents a record class becomes, or of every document type a pipeline of the deployment feeds
 * (its topics → their processors → their document types). The schema is derived from what each
 * processor writes ({@link ProcessorSchema}), so it is the one Vespa must accept.
 *
 * <p>A record class is found by full or simple name among the processors' record types (the installed
 * ones and the deployment's configured record topics); a record class no processor reads yet (a new
 * real-time stream's) gets the schema of the component-by-component mapping the connector would give
 * it, under a document type named after the class in snake case.
 */
final class SchemaCommand implements Command {

  private final PrintStream out;
  private final PrintStream err;

  SchemaCommand() {
    this(System.out, System.err);
  }

  SchemaCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  @Override
  public String name() {
    return "schema";
  }

  @Override
  public String usage() {
    return "schema <recordClass | pipeline> [deployment.json]   print the Vespa schema (.sd) of a record class, or of every"
        + " document type a pipeline feeds";
  }

  @Override
  public int run(List<String> args) {
    if (args.isEmpty() || args.size() > 2) {
      throw new IllegalArgumentException("usage: weaver " + usage());
    }
    String target = args.get(0);
    Path file = DeploymentFiles.resolve(args.subList(1, args.size()));
    // The deployment is optional for a record class (a new record has no pipeline yet), required for a pipeline name.
    Optional<Deployment> deployment = args.size() > 1 || Files.exists(file)
        ? Optional.of(Deployment.load(file, System.getenv())) : Optional.empty();
    Optional<VerticleSpec> pipeline = deployment.flatMap(d -> d.verticles().stream().filter(v -> v.name().equals(target)).findFirst());
    List<DocumentProcessor<?>> processors = pipeline.isPresent()
        ? pipelineProcessors(pipeline.get(), deployment.get())
        : recordProcessors(target, deployment);
    List<String> rendered = new ArrayList<>();
    for (DocumentProcessor<?> processor : processors) {
      rendered.add(ProcessorSchema.of(processor).render());
    }
    out.print(String.join("\n", rendered));
    out.flush();
    return 0;
  }

  private List<DocumentProcessor<?>> pipelineProcessors(VerticleSpec pipeline, Deployment deployment) {
    List<DocumentProcessor<?>> processors = new ArrayList<>();
    List<String> topics = pipeline.provider().recordTopics(pipeline.config());
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("pipeline '" + pipeline.name() + "' (" + pipeline.provider().type() + ") carries no records");
    }
    for (String topic : topics) {
      Optional<DocumentProcessor<?>> processor = processorFor(topic, deployment);
      if (processor.isPresent()) {
        processors.add(processor.get());
      } else {
        err.println("weaver schema: topic '" + topic + "' of pipeline '" + pipeline.name() + "' has no processor: it is not fed to Vespa");
      }
    }
    return processors;
  }

  /** An engine connector of the deployment knows the configured record topics; without one, the installed processors. */
  private static Optional<DocumentProcessor<?>> processorFor(String topic, Deployment deployment) {
    for (EngineConnectorOptions connector : connectors(Optional.of(deployment))) {
      Optional<DocumentProcessor<?>> processor = connector.processorFor(topic);
      if (processor.isPresent()) {
        return processor;
      }
    }
    return DocumentProcessors.installed().forTopic(topic);
  }

  private static List<DocumentProcessor<?>> recordProcessors(String name, Optional<Deployment> deployment) {
    Map<String, DocumentProcessor<?>> byTopic = new LinkedHashMap<>();
    for (String topic : DocumentProcessors.installed().topics()) {
      byTopic.put(topic, DocumentProcessors.installed().forTopic(topic).orElseThrow());
    }
    for (EngineConnectorOptions connector : connectors(deployment)) {
      connector.getRecords().forEach(r -> byTopic.put(r.getTopic(), connector.processorFor(r.getTopic()).orElseThrow()));
    }
    List<DocumentProcessor<?>> matching = byTopic.values().stream()
        .filter(p -> p.topic().type().getName().equals(name) || p.topic().type().getSimpleName().equals(name)).toList();
    if (!matching.isEmpty()) {
      return matching;
    }
    if (!name.contains(".")) {
      throw new IllegalArgumentException("'" + name + "' is neither a pipeline of the deployment nor the record type of a processor"
          + " (give a new record class by its full name)");
    }
    Class<?> type;
    try {
      type = Class.forName(name, false, SchemaCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class '" + name + "' not found on the classpath");
    }
    String simple = type.getSimpleName();
    if (!type.isRecord() || !Keyed.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("'" + name + "' must be a record implementing " + Keyed.class.getName());
    }
    return List.of(RecordDocumentProcessor.of(snakeCase(simple) + "-topic", name, snakeCase(simple)));
  }

  private static List<EngineConnectorOptions> connectors(Optional<Deployment> deployment) {
    List<EngineConnectorOptions> connectors = new ArrayList<>();
    deployment.ifPresent(d -> d.verticles().stream()
        .filter(v -> v.provider().type().equals("EngineConnectorVerticle"))
        .forEach(v -> connectors.add(new EngineConnectorOptions(v.config()))));
    return connectors;
  }

  static String snakeCase(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
