/**
 * Tracing: one span per source event, the W3C trace context carried through Kafka in the
 * {@code traceparent} header, and the connector's span around processing and the Vespa request, so
 * that one trace follows a record from its source event to Vespa's acknowledgement.
 */
package ai.pintxo.weaver.trace;
