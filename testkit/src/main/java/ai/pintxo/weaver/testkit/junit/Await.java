package ai.pintxo.weaver.testkit.junit;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds, for tests of asynchronous pipelines. */
public final class Await {

  private Await() {
  }

  /**
   * @param what    describes the condition, for the failure message
   * @param timeout how long to wait
   * @param state   what to print when it times out
   * @throws AssertionError when the condition does not hold in time
   */
  public static void until(String what, Duration timeout, BooleanSupplier condition, Supplier<Object> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what + "; state: " + state.get());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** Blocks on a Vert.x future, for test set-up and tear-down. */
  public static <T> T result(io.vertx.core.Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("future failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError("future did not complete: " + e, e);
    }
  }

  /**
   * Runs a future-returning action on a Vert.x context and waits for its result. HTTP client calls belong
   * there: started from a thread outside Vert.x, each call gets a context of its own, and when a pooled
   * connection lives on another event loop the response is handed over asynchronously; a small body can then
   * arrive before {@code body()} is called, is dropped, and the call never completes (vert.x issue 5904).
   * On the context that owns the client's connections, {@code body()} is called before any of it arrives.
   */
  public static <T> T resultOn(io.vertx.core.Context context, Supplier<io.vertx.core.Future<T>> action) {
    io.vertx.core.Promise<T> promise = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      try {
        action.get().onComplete(promise);
      } catch (Throwable t) {
        promise.tryFail(t);
      }
    });
    return result(promise.future());
  }

  /**
   * Runs an action on a Vert.x context and waits for its result: for tests of classes confined to
   * their owner's event loop.
   */
  public static <T> T on(io.vertx.core.Context context, Supplier<T> action) {
    java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.get());
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    });
    try {
      return result.get(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
