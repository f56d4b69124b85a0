/**
 * Typed failures: what to do about an error is decided by its class (retry, dead-letter, report
 * the undecodable field), never by matching its message.
 */
package ai.pintxo.weaver.codecs.failure;
