package ai.pintxo.weaver.testkit.vespa;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Vespa emulator as a process of its own: {@code --port P} (default 8080, 0 for a free
 * one), {@code --instances N} event loops (default: the number of cores), {@code --no-store} to
 * validate and answer without keeping documents (for long benchmarks). Prints
 * {@code vespa-emulator listening on http://127.0.0.1:<port>} once it serves.
 */
public final class VespaEmulatorMain {

  private VespaEmulatorMain() {
  }

  public static void main(String[] args) throws Exception {
    VespaEmulatorOptions options = new VespaEmulatorOptions().setPort(8080)
        .setInstances(Runtime.getRuntime().availableProcessors());
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> options.setPort(Integer.parseInt(args[++i]));
        case "--instances" -> options.setInstances(Integer.parseInt(args[++i]));
        case "--no-store" -> options.setStoreDocuments(false);
        default -> {
          System.err.println("usage: VespaEmulatorMain [--port P] [--instances N] [--no-store]");
          System.exit(2);
        }
      }
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.getInstances()));
    VespaEmulator emulator = VespaEmulator.start(vertx, options).toCompletionStage().toCompletableFuture().get(1, TimeUnit.MINUTES);
    System.out.println("vespa-emulator listening on " + emulator.endpoint());
    System.out.flush();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    stop.await();
    vertx.close();
  }
}
