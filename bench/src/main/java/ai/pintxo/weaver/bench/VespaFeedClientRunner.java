package ai.pintxo.weaver.bench;

import ai.pintxo.weaver.codecs.vespa.DocumentUpdate;
import ai.vespa.feed.client.DocumentId;
import ai.vespa.feed.client.FeedClient;
import ai.vespa.feed.client.FeedClientBuilder;
import ai.vespa.feed.client.OperationParameters;
import ai.vespa.feed.client.Result;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vespa's own Java feed client (vespa-feed-client 8.700.24) through its API, with the same
 * connections and streams per connection, its default dynamic throttler, breaker and retries.
 */
final class VespaFeedClientRunner extends FeedClientRunner {

  private final FeedClient client;

  VespaFeedClientRunner(String endpoint, int connections, int streams) {
    super(endpoint, connections, streams);
    client = FeedClientBuilder.create(URI.create(endpoint))
        .setConnectionsPerEndpoint(connections)
        .setMaxStreamPerConnection(streams)
        .build();
  }

  @Override
  protected String name() {
    return "vespa-feed-client";
  }

  @Override
  protected long feed(List<DocumentUpdate> ops, long[] latencies) throws Exception {
    List<DocumentId> ids = new ArrayList<>(ops.size());
    List<String> documents = new ArrayList<>(ops.size());
    for (DocumentUpdate op : ops) {
      ids.add(DocumentId.of(op.id().toString()));
      documents.add(FeedOperations.documentJson(op));
    }
    OperationParameters parameters = OperationParameters.empty().createIfNonExistent(true);
    CountDownLatch done = new CountDownLatch(ops.size());
    AtomicLong errors = new AtomicLong();
    for (int i = 0; i < ops.size(); i++) {
      int index = i;
      long start = System.nanoTime();
      client.update(ids.get(i), documents.get(i), parameters).whenComplete((Result result, Throwable error) -> {
        latencies[index] = System.nanoTime() - start;
        if (error != null || result.type() != Result.Type.success) {
          errors.incrementAndGet();
        }
        done.countDown();
      });
    }
    done.await();
    return errors.get();
  }

  @Override
  protected void close() {
    client.close();
  }
}
