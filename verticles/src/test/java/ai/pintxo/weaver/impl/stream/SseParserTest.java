package ai.pintxo.weaver.impl.stream;

import static org.assertj.core.api.Assertions.assertThat;

import ai.pintxo.weaver.testutil.SharedFixtures;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseParserTest {

  private final List<SseEvent> events = new ArrayList<>();
  private final AtomicInteger comments = new AtomicInteger();
  private final SseParser parser = new SseParser(events::add, comments::incrementAndGet);

  private List<SseEvent> parse(String wire) {
    parser.feed(wire.getBytes(StandardCharsets.UTF_8));
    return events;
  }

  private static List<SseEvent> parseInChunks(byte[] wire, int... cuts) {
    List<SseEvent> out = new ArrayList<>();
    SseParser p = new SseParser(out::add, () -> { });
    int from = 0;
    for (int cut : cuts) {
      p.feed(wire, from, cut - from);
      from = cut;
    }
    p.feed(wire, from, wire.length - from);
    return out;
  }

  @Test
  void realCaptureGivesTheSameEventsWholeAndSplitAtEveryByte() {
    byte[] capture = SharedFixtures.bytes("pyth/v2_updates_price_stream_btc.sse.txt");
    // The capture ends inside its second event (one line end, no blank line): that event waits for more bytes.
    List<SseEvent> whole = parseInChunks(capture);
    assertThat(whole).hasSize(1);
    assertThat(whole.get(0).event()).isEqualTo("message");
    assertThat(whole.get(0).data()).startsWith("{\"binary\":{\"encoding\":\"hex\"").endsWith("}]}")
        .contains("\"id\":\"e62df6c8b4a85fe1a67db44dc12de5db330f7ac66b72dc658afedf0f4a415b43\"");

    byte[] completed = new byte[capture.length + 1];
    System.arraycopy(capture, 0, completed, 0, capture.length);
    completed[capture.length] = '\n';
    List<SseEvent> both = parseInChunks(completed);
    assertThat(both).hasSize(2);
    assertThat(both.get(1).data()).contains("\"publish_time\":1714748301");

    for (int cut = 0; cut <= completed.length; cut++) {
      assertThat(parseInChunks(completed, cut)).as("split at byte %d", cut).isEqualTo(both);
    }
    int[] everyByte = new int[completed.length - 1];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = i + 1;
    }
    assertThat(parseInChunks(completed, everyByte)).as("one byte per chunk").isEqualTo(both);
  }

  @Test
  void multiLineDataIsJoinedWithLineFeeds() {
    assertThat(parse("data: first\ndata: second\ndata:third\n\n"))
        .containsExactly(new SseEvent("message", "first\nsecond\nthird", "", -1));
  }

  @Test
  void onlyOneLeadingSpaceIsDropped() {
    assertThat(parse("data:  two spaces\n\ndata:none\n\n")).extracting(SseEvent::data).containsExactly(" two spaces", "none");
  }

  @Test
  void everyLineEndingVariantWorksAlsoMixed() {
    assertThat(parse("data: lf\n\ndata: crlf\r\n\r\ndata: cr\r\rdata: a\r\ndata: b\rdata: c\n\n"))
        .extracting(SseEvent::data).containsExactly("lf", "crlf", "cr", "a\nb\nc");
  }

  @Test
  void crlfSplitBetweenChunksIsOneLineEnd() {
    byte[] wire = "data: x\r\n\r\ndata: y\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= wire.length; cut++) {
      assertThat(parseInChunks(wire, cut)).as("cut at %d", cut).extracting(SseEvent::data).containsExactly("x", "y");
    }
  }

  @Test
  void commentsAreKeepAlivesNotEvents() {
    assertThat(parse(": keep-alive\n:\n\ndata: real\n\n")).extracting(SseEvent::data).containsExactly("real");
    assertThat(comments.get()).isEqualTo(2);
  }

  @Test
  void eventIdAndRetryFields() {
    List<SseEvent> got = parse("event: error\ndata: lagging\nid: 42\nretry: 3000\n\ndata: next\n\n");
    assertThat(got.get(0)).isEqualTo(new SseEvent("error", "lagging", "42", 3000));
    // The event type resets per event; the last id and the retry time persist.
    assertThat(got.get(1)).isEqualTo(new SseEvent("message", "next", "42", 3000));
  }

  @Test
  void invalidRetryAndIdWithNullAreIgnored() {
    assertThat(parse("retry: 12ms\nid: a\0b\ndata: x\n\n")).containsExactly(new SseEvent("message", "x", "", -1));
  }

  @Test
  void eventWithoutDataIsNotDispatched() {
    assertThat(parse("event: ping\n\nid: 7\n\n")).isEmpty();
    assertThat(parse("data\n\n")).containsExactly(new SseEvent("message", "", "7", -1));
  }

  @Test
  void fieldWithoutColonAndUnknownFieldsAreHandled() {
    assertThat(parse("foo: bar\ndata\ndata: x\n\n")).extracting(SseEvent::data).containsExactly("\nx");
  }

  @Test
  void incompleteLastEventIsHeldUntilItsBlankLine() {
    assertThat(parse("data: partial\n")).isEmpty();
    assertThat(parse("data: more\n")).isEmpty();
    assertThat(parse("\n")).extracting(SseEvent::data).containsExactly("partial\nmore");
  }

  @Test
  void byteOrderMarkAtTheStartIsSkippedEvenWhenSplit() {
    byte[] wire = "\uFEFFdata: bom\n\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= 4; cut++) {
      assertThat(parseInChunks(wire, cut)).as("cut at %d", cut).containsExactly(new SseEvent("message", "bom", "", -1));
    }
    assertThat(parse("\u00E9data: x\n\n")).as("a non-BOM first byte is content").isEmpty();
  }

  @Test
  void multiByteCharactersSplitAcrossChunksAreDecodedWhole() {
    byte[] wire = "data: €uro ✓\n\n".getBytes(StandardCharsets.UTF_8);
    for (int cut = 0; cut <= wire.length; cut++) {
      assertThat(parseInChunks(wire, cut)).as("cut at %d", cut).extracting(SseEvent::data).containsExactly("€uro ✓");
    }
  }

  @Test
  void longLinesGrowTheBuffer() {
    String big = "x".repeat(100_000);
    assertThat(parse("data: " + big + "\n\n")).extracting(SseEvent::data).containsExactly(big);
  }
}
