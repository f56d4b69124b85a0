package ai.pintxo.weaver.codecs;

/** A payload that knows its Kafka key: the id of the Vespa document it becomes. */
public interface Keyed {

  /** @return the document id (the user-specified part), used as the Kafka key */
  String key();
}
