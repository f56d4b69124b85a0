package ai.pintxo.weaver.substreams;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.TypeRegistry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The message types of a package, built from its {@code proto_files}. Those files are not in
 * dependency order, so they are sorted first (each file after the files it imports). The
 * well-known {@code google/protobuf/*.proto} files are the runtime's own descriptors, so that
 * {@code JsonFormat} prints {@code Timestamp}, {@code Any} and friends in their special forms.
 *
 * <p>Immutable and thread-safe.
 */
public final class ProtoDescriptors {

  private static final Map<String, FileDescriptor> WELL_KNOWN = wellKnown();

  private final List<FileDescriptor> files;
  private final Map<String, Descriptor> messages;
  private final Map<String, Descriptor> byTypeUrl = new ConcurrentHashMap<>();
  private final TypeRegistry registry;

  private ProtoDescriptors(List<FileDescriptor> files) {
    this.files = List.copyOf(files);
    Map<String, Descriptor> all = new LinkedHashMap<>();
    for (FileDescriptor file : files) {
      for (Descriptor d : file.getMessageTypes()) {
        index(d, all);
      }
    }
    this.messages = Collections.unmodifiableMap(all);
    this.registry = TypeRegistry.newBuilder().add(all.values()).build();
  }

  /**
   * @param protoFiles the package's files, in any order
   * @param source     names the package in error messages
   * @return the descriptors
   * @throws PackageException when a file imports one that is missing, imports form a cycle, or a file is invalid
   */
  public static ProtoDescriptors build(List<FileDescriptorProto> protoFiles, String source) {
    Map<String, FileDescriptorProto> byName = new LinkedHashMap<>();
    for (FileDescriptorProto f : protoFiles) {
      byName.putIfAbsent(f.getName(), f);
    }
    Map<String, FileDescriptor> built = new LinkedHashMap<>();
    for (String name : byName.keySet()) {
      resolve(name, byName, built, new HashSet<>(), source, null);
    }
    return new ProtoDescriptors(new ArrayList<>(built.values()));
  }

  /**
   * Sorts files so that each comes after its imports (stable for files without a relation).
   *
   * @return the file names in dependency order; well-known files that the package does not carry are left out
   */
  public static List<String> dependencyOrder(List<FileDescriptorProto> protoFiles, String source) {
    return build(protoFiles, source).files.stream().map(FileDescriptor::getName)
        .filter(n -> protoFiles.stream().anyMatch(f -> f.getName().equals(n))).toList();
  }

  private static FileDescriptor resolve(String name, Map<String, FileDescriptorProto> byName, Map<String, FileDescriptor> built,
                                        Set<String> visiting, String source, String importedBy) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptor wellKnown = WELL_KNOWN.get(name);
    if (wellKnown != null) {
      built.put(name, wellKnown);
      return wellKnown;
    }
    FileDescriptorProto proto = byName.get(name);
    if (proto == null) {
      throw new PackageException(source + ": proto file '" + importedBy + "' imports '" + name + "', which the package does not contain");
    }
    if (!visiting.add(name)) {
      throw new PackageException(source + ": proto files import each other in a cycle through '" + name + "'");
    }
    FileDescriptor[] deps = new FileDescriptor[proto.getDependencyCount()];
    for (int i = 0; i < deps.length; i++) {
      deps[i] = resolve(proto.getDependency(i), byName, built, visiting, source, name);
    }
    visiting.remove(name);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new PackageException(source + ": proto file '" + name + "' is invalid: " + e.getMessage(), e);
    }
  }

  private static void index(Descriptor d, Map<String, Descriptor> all) {
    all.put(d.getFullName(), d);
    for (Descriptor nested : d.getNestedTypes()) {
      index(nested, all);
    }
  }

  /** @return the files, each after its imports */
  public List<FileDescriptor> files() {
    return files;
  }

  /** @return every message type by full name */
  public Map<String, Descriptor> messages() {
    return messages;
  }

  /** @return the message type of that full name, e.g. {@code contract.v1.Events} */
  public Optional<Descriptor> message(String fullName) {
    return Optional.ofNullable(messages.get(fullName));
  }

  /**
   * @param typeUrl e.g. {@code type.googleapis.com/contract.v1.Events}
   * @return the message type it names
   */
  public Optional<Descriptor> forTypeUrl(String typeUrl) {
    Descriptor cached = byTypeUrl.get(typeUrl);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Descriptor> found = message(typeUrl.substring(typeUrl.lastIndexOf('/') + 1));
    found.ifPresent(d -> byTypeUrl.put(typeUrl, d));
    return found;
  }

  /** @return a registry of every message type, for {@code JsonFormat} and nested {@code Any} */
  public TypeRegistry typeRegistry() {
    return registry;
  }

  private static Map<String, FileDescriptor> wellKnown() {
    Map<String, FileDescriptor> m = new LinkedHashMap<>();
    for (FileDescriptor f : List.of(com.google.protobuf.AnyProto.getDescriptor(), com.google.protobuf.TimestampProto.getDescriptor(),
        com.google.protobuf.DurationProto.getDescriptor(), com.google.protobuf.EmptyProto.getDescriptor(),
        com.google.protobuf.StructProto.getDescriptor(), com.google.protobuf.WrappersProto.getDescriptor(),
        com.google.protobuf.FieldMaskProto.getDescriptor(), com.google.protobuf.DescriptorProtos.getDescriptor(),
        com.google.protobuf.ApiProto.getDescriptor(), com.google.protobuf.TypeProto.getDescriptor(),
        com.google.protobuf.SourceContextProto.getDescriptor())) {
      m.put(f.getName(), f);
    }
    return Collections.unmodifiableMap(m);
  }
}
