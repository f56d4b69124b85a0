package ai.pintxo.weaver.codecs;

/**
 * Where a payload came from: a Kafka topic, partition and offset, or, before it reached Kafka,
 * a source such as an HTTP endpoint (partition and offset are then {@code -1}).
 *
 * @param topic     the Kafka topic, or the source's name when the payload has not been produced yet
 * @param partition the partition, or {@code -1}
 * @param offset    the offset, or {@code -1}
 */
public record RecordOrigin(String topic, int partition, long offset) {

  /** @return the origin of a payload read outside Kafka, e.g. from an endpoint URL */
  public static RecordOrigin source(String source) {
    return new RecordOrigin(source, -1, -1);
  }

  @Override
  public String toString() {
    return partition < 0 ? topic : topic + "[" + partition + "]@" + offset;
  }
}
