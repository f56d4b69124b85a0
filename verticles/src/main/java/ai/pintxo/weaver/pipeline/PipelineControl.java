package ai.pintxo.weaver.pipeline;

/** How the board pauses and resumes one source instance's units; called from any thread. */
public interface PipelineControl {

  /** Stops the units' input (they stay owned here) and reports them paused with the reason. */
  void pause(String reason);

  /** Starts the paused units again. */
  void resume();
}
