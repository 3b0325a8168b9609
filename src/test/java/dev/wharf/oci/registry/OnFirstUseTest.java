package dev.wharf.oci.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/**
 * A store's TLS context is made by its first connection, not while the server is wired, and only
 * once however many connections ask for it at the same moment: both of the store's clients must
 * trust the same way, and a second context would cost a start its 90 ms again.
 */
class OnFirstUseTest {

    @Test
    void nothingIsMadeUntilAskedAndThenOnceForEveryone() throws Exception {
        AtomicInteger made = new AtomicInteger();
        OnFirstUse<SSLContext> tls = new OnFirstUse<>(() -> {
            made.incrementAndGet();
            return context();
        });
        assertThat(made).hasValue(0);

        SSLContext first = tls.get();
        assertThat(tls.get()).isSameAs(first);
        assertThat(made).hasValue(1);
    }

    @Test
    void twoConnectionsAskingAtOnceGetOneContext() throws Exception {
        AtomicInteger made = new AtomicInteger();
        CountDownLatch making = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        OnFirstUse<SSLContext> tls = new OnFirstUse<>(() -> {
            made.incrementAndGet();
            making.countDown();
            try {
                finish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return context();
        });
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<SSLContext> first = pool.submit(tls::get);
            assertThat(making.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicReference<Thread> second = new AtomicReference<>();
            Future<SSLContext> other = pool.submit(() -> {
                second.set(Thread.currentThread());
                return tls.get();
            });
            // The second asker waits for the first one's context (BLOCKED on the monitor) instead of
            // making its own (which would count a second making).
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while ((second.get() == null || second.get().getState() != Thread.State.BLOCKED) && made.get() < 2
                    && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            finish.countDown();
            assertThat(other.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
            assertThat(made).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    private static SSLContext context() {
        try {
            return SSLContext.getInstance("TLS");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
