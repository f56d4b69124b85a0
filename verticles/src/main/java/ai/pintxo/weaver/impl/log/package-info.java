/**
 * Implementation, not API: shared by the weaver's own verticles, free to change in any release.
 * Embedding users and extension authors use the verticles, their options, the SPI interfaces and
 * the records instead.
 */
package ai.pintxo.weaver.impl.log;
