package dev.wharf.oci;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs many small registry requests a few at a time. A registry answers one manifest in about a
 * millisecond of its own work but a round trip costs more; a handful in flight hides most of the
 * latency without looking like a flood to a shared registry's rate limits.
 *
 * <p>Its threads exist only while there is work: a server looks things up in bursts (an index, a
 * catalog rebuild) and sits idle between them, where each parked thread would keep its stack.
 */
public final class ConcurrentLookups implements AutoCloseable {
    private static final long IDLE_SECONDS = 5;
    private final int parallelism;
    private final ExecutorService pool;

    /** @param name the prefix of its threads' names, which thread dumps and profiles show */
    public ConcurrentLookups(String name, int parallelism) {
        this.parallelism = parallelism;
        AtomicInteger n = new AtomicInteger();
        // Daemon threads: a CLI command that forgets to close its store must still be able to exit.
        ThreadPoolExecutor threads = new ThreadPoolExecutor(parallelism, parallelism, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        threads.allowCoreThreadTimeOut(true);
        this.pool = threads;
    }

    /**
     * {@code lookup} applied to every input, answers in input order. The first failure is thrown as
     * it was (a {@link RuntimeException}), after the lookups still waiting are cancelled.
     */
    public <T, R> List<R> map(List<T> inputs, Function<T, R> lookup) {
        if (inputs.size() < 2) {
            return inputs.stream().map(lookup).toList();
        }
        AtomicInteger next = new AtomicInteger();
        List<R> answers = new ArrayList<>(Collections.nCopies(inputs.size(), null));
        List<Future<?>> workers = new ArrayList<>();
        // A few workers pull indexes from a shared counter: no task per input, and a failure stops
        // the others after the lookup they are doing.
        AtomicBoolean failed = new AtomicBoolean();
        for (int w = 0; w < Math.min(parallelism, inputs.size()); w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < inputs.size() && !failed.get(); i = next.getAndIncrement()) {
                    R answer;
                    try {
                        answer = lookup.apply(inputs.get(i));
                    } catch (RuntimeException e) {
                        failed.set(true);
                        throw e;
                    }
                    synchronized (answers) {
                        answers.set(i, answer);
                    }
                }
                return null;
            }));
        }
        RuntimeException failure = null;
        for (Future<?> worker : workers) {
            try {
                worker.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                workers.forEach(f -> f.cancel(true));
                throw new CancellationException("interrupted while waiting for registry lookups");
            }
        }
        if (failure != null) {
            throw failure;
        }
        synchronized (answers) {
            return List.copyOf(answers);
        }
    }

    /** Stops its threads; lookups still running are interrupted. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
