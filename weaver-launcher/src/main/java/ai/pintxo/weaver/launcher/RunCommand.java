package ai.pintxo.weaver.launcher;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code weaver run [deployment.json]}: validates the deployment, starts Kafka (embedded unless
 * configured), the admin endpoint and the verticles, shows progress ({@link RunProgress}), and runs until stopped
 * (SIGINT/SIGTERM stop it cleanly: in-flight documents are acknowledged and committed first).
 */
final class RunCommand implements Command {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

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
    // A table redrawn in place when a person watches; the structured lines when stdout goes to a file or a collector.
    RunProgress.start(runtime, System.out, ProgressView.stdoutIsTerminal());
    LOG.atInfo().log("weaver.running: stop with Ctrl-C");
    return -1;
  }
}
