package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.pipeline.PipelineBoard;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weaver run [deployment.json]}: validates the deployment, starts Kafka (embedded unless
 * configured), the admin endpoint and the verticles, logs progress, and runs until stopped
 * (SIGINT/SIGTERM stop it cleanly: in-flight documents are acknowledged and committed first).
 */
final class RunCommand implements Command {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final long PROGRESS_EVERY_MILLIS = 10_000;

  @Override
  public String name() {
    return "run";
  }

  @Override
  public String usage() {
    return "run [deployment.json]      run the pipeline described by a deployment file (default conf/deployment.json) until stopped";
  }

  @Override
  public int run(List<String> args) {
    Deployment deployment = Deployment.load(DeploymentFiles.resolve(args), System.getenv());
    LOG.atInfo().addKeyValue("file", deployment.file()).addKeyValue("verticles", deployment.verticles().size())
        .addKeyValue("kafka", deployment.embeddedKafka() ? "embedded " + deployment.embeddedDataDir() : deployment.kafka().getBootstrapServers())
        .addKeyValue("overrides", deployment.overrides()).log("weaver.starting");
    WeaverRuntime runtime = new WeaverRuntime(deployment.tracing(), System.getenv());
    try {
      runtime.start(deployment);
    } catch (RuntimeException e) {
      runtime.close();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.atInfo().log("weaver.stopping");
      runtime.close();
      LOG.atInfo().log("weaver.stopped");
    }, "weaver-shutdown"));
    long[] last = {-1};
    long[] lastAt = {System.nanoTime()};
    runtime.vertx().setPeriodic(PROGRESS_EVERY_MILLIS, t -> {
      // Every interval, also when nothing moves: a stalled pipeline says so, and why, instead of going quiet.
      Progress p = Progress.read(runtime.registry());
      long now = System.nanoTime();
      double seconds = (now - lastAt[0]) / 1e9;
      List<String> problems = PipelineBoard.of(runtime.vertx()).problems();
      var line = LOG.atInfo().addKeyValue("polled", p.polled()).addKeyValue("produced", p.produced()).addKeyValue("fed", p.fed())
          .addKeyValue("rejected", p.rejected()).addKeyValue("deadLetters", p.deadLetters()).addKeyValue("retries", p.retries())
          .addKeyValue("fedPerSecond", last[0] < 0 ? 0 : Math.round((p.fed() - last[0]) / seconds));
      if (!problems.isEmpty()) {
        line = line.addKeyValue("problems", problems);
      }
      line.log("progress");
      last[0] = p.fed();
      lastAt[0] = now;
    });
    LOG.atInfo().log("weaver.running: stop with Ctrl-C");
    return -1;
  }
}
