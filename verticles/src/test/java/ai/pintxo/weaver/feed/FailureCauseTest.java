package ai.pintxo.weaver.feed;

import ai.pintxo.weaver.impl.log.LogRateLimiter;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.http.HttpClosedException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The causes the circuit's log lines name, told by type; and the limiter that keeps those lines few. */
class FailureCauseTest {

  @Test
  void causesAreToldByTypeThroughWrappers() {
    assertThat(FailureCause.of(new ConnectException("Connection refused"))).isEqualTo(FailureCause.CONNECTION_REFUSED);
    assertThat(FailureCause.of(new RuntimeException(new UnknownHostException("vespa.invalid")))).isEqualTo(FailureCause.DNS);
    assertThat(FailureCause.of(new DecoderException(new SSLHandshakeException("bad certificate")))).isEqualTo(FailureCause.TLS);
    assertThat(FailureCause.of(Http2Exception.connectionError(Http2Error.PROTOCOL_ERROR, "First received frame was not SETTINGS")))
        .isEqualTo(FailureCause.PROTOCOL);
    assertThat(FailureCause.of(new TimeoutException("no answer"))).isEqualTo(FailureCause.TIMEOUT);
    assertThat(FailureCause.of(new HttpClosedException("closed"))).isEqualTo(FailureCause.CONNECTION_CLOSED);
    assertThat(FailureCause.of(new IllegalStateException("something else"))).isEqualTo(FailureCause.OTHER);
    assertThat(FailureCause.CONNECTION_REFUSED.label()).isEqualTo("connection refused");
  }

  @Test
  void theLimiterLetsTheFirstLineThroughThenOnePerInterval() {
    AtomicLong now = new AtomicLong(1_000);
    LogRateLimiter limiter = new LogRateLimiter(100, now::get);
    assertThat(limiter.permit()).isTrue();
    assertThat(limiter.permit()).isFalse();
    now.addAndGet(99);
    assertThat(limiter.permit()).isFalse();
    now.addAndGet(1);
    assertThat(limiter.permit()).isTrue();
    assertThat(limiter.permit()).isFalse();
    limiter.reset();
    assertThat(limiter.permit()).as("a new episode is said at once").isTrue();
  }
}
