package dev.wharf.oci;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The live check behind {@code /health}: lists a repository's tags on the store with a deadline of
 * its own, far shorter than a request's retry budget, so a registry that accepts connections and
 * never answers shows up as unhealthy within the deadline instead of after minutes.
 *
 * <p>At most one probe is in flight: a health check that finds one still running waits for it (up
 * to its own deadline) instead of stacking another request on a hung registry. A finished probe's
 * result is reused for {@code reuse}, so a flood of health checks costs the registry one call.
 */
public final class StoreProbe {
    private final ArtifactStore store;
    private final String repository;
    private final Duration deadline;
    private final Duration reuse;
    private final Clock clock;
    private @Nullable Probe current;

    /** A failed probe: the storage failure, already phrased for the operator. */
    public record Failure(StorageException.Kind kind, String message) {
    }

    private record Probe(Instant started, CompletableFuture<Optional<Failure>> result) {
    }

    public StoreProbe(ArtifactStore store, String repository, Duration deadline) {
        this(store, repository, deadline, Duration.ofSeconds(1), Clock.systemUTC());
    }

    public StoreProbe(ArtifactStore store, String repository, Duration deadline, Duration reuse, Clock clock) {
        this.store = store;
        this.repository = repository;
        this.deadline = deadline;
        this.reuse = reuse;
        this.clock = clock;
    }

    public Duration deadline() {
        return deadline;
    }

    /** Empty when the store answered within the deadline; else why not. */
    public Optional<Failure> check() {
        CompletableFuture<Optional<Failure>> result = probe();
        try {
            return result.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return Optional.of(new Failure(StorageException.Kind.UNREACHABLE, store.describe() + ": no answer within "
                    + deadline.toMillis() + " ms to the health probe (listing the tags of " + repository
                    + "); check that the registry is up and not overloaded"));
        } catch (ExecutionException e) {
            return Optional.of(new Failure(StorageException.Kind.REGISTRY_ERROR, "the health probe failed: " + e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(new Failure(StorageException.Kind.UNREACHABLE, "interrupted while probing " + store.describe()));
        }
    }

    private synchronized CompletableFuture<Optional<Failure>> probe() {
        Instant now = clock.instant();
        if (current != null && (!current.result().isDone() || current.started().plus(reuse).isAfter(now))) {
            return current.result();
        }
        CompletableFuture<Optional<Failure>> result = new CompletableFuture<>();
        // A thread of its own, not a pool's: a hung registry may hold it for the whole retry budget.
        Thread t = new Thread(() -> {
            try {
                store.listTags(repository);
                result.complete(Optional.empty());
            } catch (StorageException e) {
                result.complete(Optional.of(new Failure(e.kind(), e.getMessage())));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }, "wharf-health-probe");
        t.setDaemon(true);
        current = new Probe(now, result);
        t.start();
        return result;
    }
}
