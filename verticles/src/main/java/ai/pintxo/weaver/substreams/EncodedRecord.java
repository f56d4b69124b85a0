package ai.pintxo.weaver.substreams;

/**
 * A record ready for Kafka: the document id as key, the typed payload's encoding as value.
 *
 * @param key   key bytes
 * @param value value bytes
 */
record EncodedRecord(byte[] key, byte[] value) {
}
