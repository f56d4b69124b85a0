package ai.pintxo.weaver.impl.kafka;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.common.metrics.MetricsReporter;

/**
 * Closes a producer's Micrometer binding when the producer closes, whoever closes it: Kafka closes its
 * metric reporters in {@code KafkaProducer.close}, and this reporter finds the binding through a holder
 * passed in the producer's configuration (the binding needs the producer, so it is made after it).
 * Without it every closed producer would leave its {@code kafka_producer_*} meters and a refresh thread behind.
 */
public final class ProducerMetrics implements MetricsReporter {

  /** The configuration key of the {@link Holder}; read by this reporter only. */
  static final String HOLDER = "weaver.metrics.binding";

  /** The binding of one producer, set once the producer exists. */
  static final class Holder {
    private KafkaClientMetrics binding;
    private boolean closed;

    synchronized void set(KafkaClientMetrics binding) {
      if (closed) {
        binding.close(); // the producer closed before it was bound (its constructor failed late)
      } else {
        this.binding = binding;
      }
    }

    synchronized void close() {
      closed = true;
      if (binding != null) {
        binding.close();
        binding = null;
      }
    }
  }

  private Holder holder;

  /** Made by Kafka from {@code metric.reporters}. */
  public ProducerMetrics() {
  }

  @Override
  public void configure(Map<String, ?> configs) {
    if (configs.get(HOLDER) instanceof Holder h) {
      holder = h;
    }
  }

  @Override
  public void init(List<KafkaMetric> metrics) {
  }

  @Override
  public void metricChange(KafkaMetric metric) {
  }

  @Override
  public void metricRemoval(KafkaMetric metric) {
  }

  @Override
  public void close() {
    if (holder != null) {
      holder.close();
    }
  }
}
