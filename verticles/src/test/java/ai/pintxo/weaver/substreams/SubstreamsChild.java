package ai.pintxo.weaver.substreams;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;

/** Runs one substream in a JVM of its own, for the kill/restart test: {@code SubstreamsChild <options.json>}; exits 0 at the stop block. */
public final class SubstreamsChild {

  private SubstreamsChild() {
  }

  public static void main(String[] args) throws Exception {
    SubstreamsOptions options = new SubstreamsOptions(new JsonObject(Files.readString(Path.of(args[0]))));
    Vertx vertx = Vertx.vertx();
    SubstreamsVerticle verticle = new SubstreamsVerticle(options);
    vertx.deployVerticle(verticle).onFailure(err -> {
      err.printStackTrace();
      System.exit(2);
    });
    verticle.completion().onComplete(ar -> {
      System.out.println(ar.succeeded() ? "substream done" : "substream failed: " + ar.cause().getMessage());
      vertx.close().onComplete(v -> System.exit(ar.succeeded() ? 0 : 1));
    });
  }
}
