package ai.pintxo.weaver.pipeline;

import ai.pintxo.weaver.impl.metrics.WeaverMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What this process runs, by pipeline and unit: the sources and the connector report here
 * ({@link UnitReporter}), the admin endpoint reads here ({@code /ready}, {@code /pipelines}). One
 * board per Vert.x instance, found with {@link #of(Vertx)}, so verticles embedded in another
 * application report without being handed anything. Thread-safe.
 */
public final class PipelineBoard implements Shareable {

  private static final String KEY = "weaver.pipeline-board";

  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, List<String>> declared = new ConcurrentHashMap<>();
  private final Map<String, String> types = new ConcurrentHashMap<>();
  private final List<UnitReporter> units = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<String>> conditions = new ConcurrentHashMap<>();
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();
  private final Map<String, List<PipelineControl>> controls = new ConcurrentHashMap<>();
  private final Map<String, String> paused = new ConcurrentHashMap<>();

  PipelineBoard(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** @return the board of the verticles running on {@code vertx} */
  public static PipelineBoard of(Vertx vertx) {
    LocalMap<String, PipelineBoard> map = vertx.sharedData().getLocalMap(KEY);
    return map.computeIfAbsent(KEY, k -> new PipelineBoard(WeaverMetrics.registry(vertx), Clock.systemUTC()));
  }

  /**
   * Declares a pipeline and every unit it has in the whole cluster (this process owns some of them).
   *
   * @param pipeline the deployment entry's name
   * @param type     the verticle type
   * @param allUnits the units its config declares
   */
  public void declare(String pipeline, String type, List<String> allUnits) {
    declared.put(pipeline, List.copyOf(allUnits));
    types.put(pipeline, type);
    if (gauged.add(pipeline)) {
      for (UnitState state : UnitState.values()) {
        Gauge.builder("weaver.units", () -> count(pipeline, state)).description("Units of work this process owns, by state")
            .tag("pipeline", pipeline).tag("state", state.label()).register(registry);
      }
    }
  }

  /** @return a reporter for a unit this process now owns, in state {@code starting} */
  public UnitReporter register(String pipeline, String unit, String owner) {
    UnitReporter reporter = new UnitReporter(this, pipeline, unit, owner, clock);
    units.add(reporter);
    return reporter;
  }

  void remove(UnitReporter reporter) {
    units.remove(reporter);
  }

  /** @return the unit's lag gauge, {@code weaver_unit_lag{pipeline,unit,kind}}, for alerts on staleness, drift and poll age */
  io.micrometer.core.instrument.Meter lagGauge(UnitReporter reporter, String kind) {
    return Gauge.builder("weaver.unit.lag", reporter, UnitReporter::lagValue)
        .description("How far a unit this process owns is behind: seconds (poll-age, staleness, head-drift) or records (consumer-lag)")
        .tag("pipeline", reporter.pipeline()).tag("unit", reporter.unit()).tag("kind", kind).register(registry);
  }

  void removeMeter(io.micrometer.core.instrument.Meter meter) {
    registry.remove(meter);
  }

  /**
   * A condition of readiness besides the units' states, such as a feeder that can deliver.
   *
   * @param name    names the condition in {@code /ready}
   * @param problem returns null while the condition holds, else what is wrong (one line)
   */
  public void condition(String name, Supplier<String> problem) {
    conditions.put(name, problem);
  }

  public void removeCondition(String name) {
    conditions.remove(name);
  }

  /** Registers a source instance of a pipeline so that {@link #pause} reaches it. */
  public void control(String pipeline, PipelineControl control) {
    controls.computeIfAbsent(pipeline, k -> new CopyOnWriteArrayList<>()).add(control);
  }

  public void removeControl(String pipeline, PipelineControl control) {
    List<PipelineControl> list = controls.get(pipeline);
    if (list != null) {
      list.remove(control);
    }
  }

  /**
   * Pauses a pipeline's input in this process; units it gains later start paused too.
   *
   * @param reason shown with the units' state, e.g. {@code paused by operator}
   */
  public void pause(String pipeline, String reason) {
    if (paused.put(pipeline, reason) == null) {
      controls.getOrDefault(pipeline, List.of()).forEach(c -> c.pause(reason));
    }
  }

  /** Resumes a paused pipeline. */
  public void resume(String pipeline) {
    if (paused.remove(pipeline) != null) {
      controls.getOrDefault(pipeline, List.of()).forEach(PipelineControl::resume);
    }
  }

  /** @return why the pipeline is paused, or null when it is not */
  public String pausedReason(String pipeline) {
    return paused.get(pipeline);
  }

  /** @return the pipelines declared, sorted */
  public Set<String> pipelines() {
    return new TreeSet<>(declared.keySet());
  }

  /** @return the verticle type of a pipeline, or null */
  public String type(String pipeline) {
    return types.get(pipeline);
  }

  /** @return every unit of the pipeline in the cluster, as its config declares them */
  public List<String> declaredUnits(String pipeline) {
    return declared.getOrDefault(pipeline, List.of());
  }

  /** @return snapshots of the units of a pipeline this process owns, by unit id */
  public List<UnitStatus> units(String pipeline) {
    List<UnitStatus> list = new ArrayList<>();
    for (UnitReporter r : units) {
      if (r.pipeline().equals(pipeline)) {
        list.add(r.status());
      }
    }
    list.sort(Comparator.comparing(UnitStatus::unit));
    return list;
  }

  /** Forgets a pipeline that was undeployed. */
  public void forget(String pipeline) {
    declared.remove(pipeline);
    types.remove(pipeline);
    units.removeIf(r -> r.pipeline().equals(pipeline));
    controls.remove(pipeline);
  }

  /** @return what keeps this process from being ready, one line each; empty when it is ready */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (UnitReporter r : units) {
      UnitStatus s = r.status();
      if (!s.state().healthy() && !r.finished()) {
        String why = s.reason() != null ? s.reason() : s.lastError() != null ? s.lastError() : "";
        problems.add(s.pipeline() + "/" + s.unit() + ": " + s.state().label() + (why.isEmpty() ? "" : ": " + why));
      } else if (conditions.containsKey(s.pipeline() + "/" + s.unit())) {
        continue; // the unit's own readiness condition (a feeder's) says what is wrong, once
      } else if (s.state() != UnitState.PAUSED && s.lastEvent() == null && s.lastError() != null) {
        // Backing off is within policy for a unit that delivered; one that never did is failing.
        problems.add(s.pipeline() + "/" + s.unit() + ": failing since it started: " + s.lastError());
      } else if (s.state() != UnitState.PAUSED && s.lag() != null && s.lag().late()) {
        // Backing off past its policy: e.g. an endpoint whose polls kept failing for two intervals.
        problems.add(s.pipeline() + "/" + s.unit() + ": " + s.lag().kind() + " " + Math.round(s.lag().value()) + " past its bound "
            + Math.round(s.lag().bound()) + (s.lastError() == null ? "" : ": " + s.lastError()));
      }
    }
    conditions.forEach((name, problem) -> {
      String p = problem.get();
      if (p != null) {
        problems.add(name + ": " + p);
      }
    });
    problems.sort(String::compareTo);
    return problems;
  }

  private int count(String pipeline, UnitState state) {
    int n = 0;
    for (UnitReporter r : units) {
      if (r.pipeline().equals(pipeline) && r.state() == state) {
        n++;
      }
    }
    return n;
  }
}
