package ai.pintxo.weaver.loadtest;

import java.time.Duration;

/**
 * How hard and how long the simulations push, from system properties (the plugin passes them on):
 * {@code -Dload=smoke} (the default, what {@code mvn verify} runs: a few seconds each) or {@code full}
 * (the profiles of BENCHMARKS.md); {@code -Drate} (requests/s of the constant phase), {@code -Dduration}
 * (seconds of each phase) and {@code -Dbatch} (records per request) override either.
 *
 * @param name     smoke or full
 * @param rate     requests per second of the constant phase; the ramp climbs to it, the spike doubles it
 * @param duration each phase's length
 * @param batch    records per request
 */
record LoadProfile(String name, int rate, Duration duration, int batch) {

  static LoadProfile fromProperties() {
    boolean full = "full".equals(property("load", "smoke"));
    int rate = Integer.parseInt(property("rate", full ? "600" : "40"));
    int seconds = Integer.parseInt(property("duration", full ? "60" : "3"));
    int batch = Integer.parseInt(property("batch", "10"));
    return new LoadProfile(full ? "full" : "smoke", rate, Duration.ofSeconds(seconds), batch);
  }

  /** @return the property, or the fallback when it is unset or empty (the plugin passes empty values on) */
  static String property(String name, String fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  @Override
  public String toString() {
    return name + ": " + rate + " requests/s × " + batch + " records, phases of " + duration.toSeconds() + " s";
  }
}
