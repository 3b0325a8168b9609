package dev.wharf.epr.oci;

import dev.wharf.epr.index.IndexHealth;
import dev.wharf.epr.index.IndexedPackage;
import dev.wharf.epr.index.Indexer;
import dev.wharf.epr.index.IndexerException;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** An indexer that holds its cache directory's {@link CacheDirectoryLock} from start to close. */
public final class CacheLockedIndexer implements Indexer {
    private final Indexer delegate;
    private final Path cacheDir;
    private @Nullable CacheDirectoryLock lock;

    public CacheLockedIndexer(Indexer delegate, Path cacheDir) {
        this.delegate = delegate;
        this.cacheDir = cacheDir;
    }

    @Override
    public void start() throws IndexerException {
        lock = CacheDirectoryLock.acquire(cacheDir);
        delegate.start();
    }

    @Override
    public List<IndexedPackage> packages() {
        return delegate.packages();
    }

    @Override
    public IndexHealth health() {
        return delegate.health();
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public dev.wharf.epr.index.IndexReport report() {
        return delegate.report();
    }

    @Override
    public String kind() {
        return delegate.kind();
    }

    @Override
    public void close() {
        try {
            delegate.close();
        } finally {
            CacheDirectoryLock held = lock;
            if (held != null) {
                held.close();
            }
        }
    }
}
