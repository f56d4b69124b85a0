package ai.pintxo.weaver.testkit.substreams;

import java.util.ArrayList;
import java.util.List;

/** The emulated chain and provider: auth, chain bounds, finality, payloads, scripted reorgs and faults. */
public final class SubstreamsEmulatorOptions {

  private int port;
  private String apiKey;
  private boolean quotaExceeded;
  private long firstStreamableBlock;
  private volatile long chainHead = 100_000_000L; // moved on by the emulator's advanceHead while streams run
  private int finalityLag;
  private long progressIntervalMillis = 200;
  private long blocksPerSecond;
  private OutputGenerator outputs = (block, branch) -> com.google.protobuf.Any.getDefaultInstance();
  private final java.util.Map<String, OutputGenerator> moduleOutputs = new java.util.HashMap<>();
  private final List<Reorg> reorgs = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final List<Jump> jumps = new ArrayList<>();

  public int getPort() {
    return port;
  }

  /** @param port 0 for any free port */
  public SubstreamsEmulatorOptions setPort(int port) {
    this.port = port;
    return this;
  }

  public String getApiKey() {
    return apiKey;
  }

  /** @param apiKey the key clients must send ({@code x-api-key} or {@code authorization: Bearer}); null accepts anyone */
  public SubstreamsEmulatorOptions setApiKey(String apiKey) {
    this.apiKey = apiKey;
    return this;
  }

  public boolean isQuotaExceeded() {
    return quotaExceeded;
  }

  /** @param quotaExceeded answer every authenticated stream with RESOURCE_EXHAUSTED "quota exceeded" */
  public SubstreamsEmulatorOptions setQuotaExceeded(boolean quotaExceeded) {
    this.quotaExceeded = quotaExceeded;
    return this;
  }

  public long getFirstStreamableBlock() {
    return firstStreamableBlock;
  }

  public SubstreamsEmulatorOptions setFirstStreamableBlock(long firstStreamableBlock) {
    this.firstStreamableBlock = firstStreamableBlock;
    return this;
  }

  public long getChainHead() {
    return chainHead;
  }

  /** @param chainHead the head: live streams (stop 0) end their data there and stay open */
  public SubstreamsEmulatorOptions setChainHead(long chainHead) {
    this.chainHead = chainHead;
    return this;
  }

  public int getFinalityLag() {
    return finalityLag;
  }

  /** @param finalityLag blocks between a block and finality; 0 streams final blocks only (backfill) */
  public SubstreamsEmulatorOptions setFinalityLag(int finalityLag) {
    this.finalityLag = finalityLag;
    return this;
  }

  public long getProgressIntervalMillis() {
    return progressIntervalMillis;
  }

  public SubstreamsEmulatorOptions setProgressIntervalMillis(long progressIntervalMillis) {
    this.progressIntervalMillis = progressIntervalMillis;
    return this;
  }

  public long getBlocksPerSecond() {
    return blocksPerSecond;
  }

  /** @param blocksPerSecond pace of the stream; 0 as fast as flow control allows */
  public SubstreamsEmulatorOptions setBlocksPerSecond(long blocksPerSecond) {
    this.blocksPerSecond = blocksPerSecond;
    return this;
  }

  public OutputGenerator getOutputs() {
    return outputs;
  }

  public SubstreamsEmulatorOptions setOutputs(OutputGenerator outputs) {
    this.outputs = outputs;
    return this;
  }

  /** @return the generator of a module: its own when set, else the default one */
  public OutputGenerator outputsOf(String outputModule) {
    return moduleOutputs.getOrDefault(outputModule, outputs);
  }

  /** Sets what one output module produces; streams of other modules use {@link #setOutputs}. */
  public SubstreamsEmulatorOptions setOutputs(String outputModule, OutputGenerator outputs) {
    moduleOutputs.put(outputModule, outputs);
    return this;
  }

  public List<Reorg> getReorgs() {
    return reorgs;
  }

  public SubstreamsEmulatorOptions addReorg(Reorg reorg) {
    reorgs.add(reorg);
    return this;
  }

  public List<Fault> getFaults() {
    return faults;
  }

  public SubstreamsEmulatorOptions addFault(Fault fault) {
    faults.add(fault);
    return this;
  }

  public List<Jump> getJumps() {
    return jumps;
  }

  /** @param jump block numbers skipped or repeated once, without an undo signal */
  public SubstreamsEmulatorOptions addJump(Jump jump) {
    jumps.add(jump);
    return this;
  }
}
