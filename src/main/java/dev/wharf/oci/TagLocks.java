package dev.wharf.oci;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One lock per repository and tag inside this process, so that two publishes of the same version
 * run one after the other while publishes of different versions stay parallel. A lock lives only
 * while someone holds or waits for it: the map never grows with the number of versions published.
 */
public final class TagLocks {
    private record Key(String repository, String tag) {
    }

    private static final class Counted {
        final ReentrantLock lock = new ReentrantLock();
        volatile int users;
    }

    /** Held until closed. */
    public interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private final ConcurrentHashMap<Key, Counted> locks = new ConcurrentHashMap<>();

    public Held hold(String repository, String tag) {
        Key key = new Key(repository, tag);
        Counted counted = locks.compute(key, (k, existing) -> {
            Counted c = existing != null ? existing : new Counted();
            c.users++;
            return c;
        });
        counted.lock.lock();
        return () -> {
            counted.lock.unlock();
            release(key);
        };
    }

    private void release(Key key) {
        locks.computeIfPresent(key, (k, c) -> --c.users == 0 ? null : c);
    }

    /** How many coordinates have a lock right now (for tests: the map empties itself). */
    int size() {
        return locks.size();
    }

    /** How many hold or wait for one coordinate's lock (for tests). */
    int users(String repository, String tag) {
        Counted counted = locks.get(new Key(repository, tag));
        return counted == null ? 0 : counted.users;
    }
}
