package ai.pintxo.weaver.launcher;

import ai.pintxo.weaver.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Checks that a configured port can be bound before the part that needs it starts: the embedded
 * broker, given a taken port, fails deep inside Kafka with a long stack trace that never says the
 * port is taken; this says it in one line, with the key to change.
 */
final class PortCheck {

  private PortCheck() {
  }

  /**
   * @param key  the configuration key of the port, for the message
   * @param host the address it will be bound on
   * @param port the port; 0 (a free one) is always fine
   * @throws ConfigException naming the key and the port when something else listens there
   */
  static void requireFree(String key, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true); // a port in TIME_WAIT after our own last run is free for the broker too
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (IOException e) {
      throw new ConfigException(key, "port " + port + " on " + host + " is already in use (another broker or weaver running?): "
          + "stop it or choose another port");
    }
  }
}
