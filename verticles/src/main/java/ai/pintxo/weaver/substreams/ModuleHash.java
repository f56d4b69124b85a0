package ai.pintxo.weaver.substreams;

import ai.pintxo.weaver.substreams.pb.v1.Binary;
import ai.pintxo.weaver.substreams.pb.v1.Module;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A module's identity: SHA-1 over its initial block, kind, binary, inputs, block filter, the hashes
 * of its ancestors and its entry point, after the Go implementation's layout. It changes whenever
 * code, params, initial block or network overrides change, which is what the cursor store checks.
 * Ancestors are taken in dependency order; the server may order them differently, so this hash is
 * the weaver's bookkeeping value, not a key into the server's cache.
 *
 * <p>Not thread-safe (it caches); one per computation.
 */
final class ModuleHash {

  private final SubstreamsPackage pkg;
  private final Map<String, byte[]> cache = new HashMap<>();

  ModuleHash(SubstreamsPackage pkg) {
    this.pkg = pkg;
  }

  String hex(String moduleName) {
    return HexFormat.of().formatHex(hash(moduleName));
  }

  private byte[] hash(String name) {
    byte[] cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    Module m = pkg.module(name).orElseThrow(() -> new PackageException(pkg.source() + ": no module '" + name + "'"));
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    write(buf, "initial_block");
    buf.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(m.getInitialBlock()).array());
    write(buf, "kind");
    write(buf, SubstreamsPackage.kind(m));
    write(buf, "binary");
    Binary binary = pkg.binary(m);
    write(buf, binary.getType());
    buf.writeBytes(binary.getContent().toByteArray());
    write(buf, "inputs");
    for (Module.Input in : m.getInputsList()) {
      switch (in.getInputCase()) {
        case SOURCE -> {
          write(buf, "source");
          write(buf, in.getSource().getType());
        }
        case PARAMS -> {
          write(buf, "params");
          write(buf, in.getParams().getValue());
        }
        case MAP -> write(buf, "map");
        case STORE -> write(buf, "store");
        case INPUT_NOT_SET -> throw new PackageException(pkg.source() + ": module '" + name + "' has an input of no kind");
      }
    }
    if (m.hasBlockFilter()) {
      write(buf, "block_filter_module!");
      write(buf, m.getBlockFilter().getModule());
      write(buf, "block_filter_query!");
      write(buf, m.getBlockFilter().getQueryString());
    }
    write(buf, "ancestors");
    List<String> ancestors = pkg.ancestorsAndSelf(name);
    for (String ancestor : ancestors.subList(0, ancestors.size() - 1)) {
      buf.writeBytes(hash(ancestor));
    }
    write(buf, "entrypoint");
    write(buf, m.getBinaryEntrypoint());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(buf.toByteArray());
      cache.put(name, digest);
      return digest;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is not available", e);
    }
  }

  private static void write(ByteArrayOutputStream buf, String s) {
    buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
