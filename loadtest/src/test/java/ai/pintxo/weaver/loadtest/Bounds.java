package ai.pintxo.weaver.loadtest;

/**
 * The assertions' bounds, in milliseconds: {@code -Dp99} and {@code -Dp95} (response time of the
 * requests) and {@code -DmaxErrorPercent}. The smoke's are loose: it runs in CI on a shared 2-core
 * machine, cold, and checks that the pipeline works under load, not how fast it is.
 */
record Bounds(int p99, int p95, double maxErrorPercent) {

  static Bounds fromProperties(LoadProfile profile) {
    boolean full = profile.name().equals("full");
    return new Bounds(Integer.parseInt(LoadProfile.property("p99", full ? "250" : "2000")),
        Integer.parseInt(LoadProfile.property("p95", full ? "100" : "1000")),
        Double.parseDouble(LoadProfile.property("maxErrorPercent", "1")));
  }
}
