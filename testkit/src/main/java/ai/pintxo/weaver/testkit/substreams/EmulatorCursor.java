package ai.pintxo.weaver.testkit.substreams;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The emulator's cursors: the bstream text layout ({@code c1:<step>:<block>:<id>:<lib>:<libId>}) in
 * base64url. Opaque to clients, like real cursors; not encrypted, so they are not Go-compatible.
 *
 * @param step  1 new, 16 irreversible
 * @param block block number
 * @param id    block hash
 * @param lib   last irreversible block number
 */
public record EmulatorCursor(int step, long block, String id, long lib) {

  /** @return the opaque string */
  public String encode() {
    String text = "c1:" + step + ":" + block + ":" + id + ":" + lib + ":" + "lib";
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * @param cursor an opaque cursor
   * @return the cursor
   * @throws IllegalArgumentException when it is not one of the emulator's
   */
  public static EmulatorCursor decode(String cursor) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid StartCursor: not base64url");
    }
    String[] parts = text.split(":");
    if (parts.length != 6 || !parts[0].equals("c1")) {
      throw new IllegalArgumentException("invalid StartCursor: unknown layout");
    }
    try {
      return new EmulatorCursor(Integer.parseInt(parts[1]), Long.parseLong(parts[2]), parts[3], Long.parseLong(parts[4]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid StartCursor: bad number");
    }
  }
}
