package ai.pintxo.weaver.impl.stream;

/**
 * One server-sent event.
 *
 * @param event the {@code event:} field, {@code message} when absent
 * @param data  the {@code data:} lines joined with {@code \n}
 * @param id    the last {@code id:} seen on the stream, or empty
 * @param retry the {@code retry:} reconnection time in milliseconds, or -1
 */
public record SseEvent(String event, String data, String id, long retry) {
}
