package dev.wharf.http;

import java.util.concurrent.atomic.LongAdder;

/**
 * Values counted into fixed buckets, with their sum: one series of a Prometheus histogram (or, with
 * no bounds, of a summary without quantiles). Each bucket and the sum is a {@link LongAdder}, so the
 * selector threads that record every answered request never write the same memory. Micrometer's
 * histograms increment one shared {@code AtomicLongArray} slot per value; from two threads at once
 * that cost 297 ns a value against 84 ns from one (bench/RESULTS.md, session 27).
 */
final class BucketCounts {
    /** What was counted, read once: {@code counts} per bucket, not cumulative, the last one above every bound. */
    record Snapshot(long[] counts, long sum) {
        long count() {
            long n = 0;
            for (long c : counts) {
                n += c;
            }
            return n;
        }
    }

    private final long[] upperBounds;
    private final LongAdder[] counts;
    private final LongAdder sum = new LongAdder();

    /** @param upperBounds inclusive upper bounds, ascending; empty for a count and sum alone */
    BucketCounts(long[] upperBounds) {
        this.upperBounds = upperBounds.clone();
        this.counts = new LongAdder[upperBounds.length + 1];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void record(long value) {
        int bucket = 0;
        while (bucket < upperBounds.length && value > upperBounds[bucket]) {
            bucket++;
        }
        counts[bucket].increment();
        if (value != 0) {
            sum.add(value);
        }
    }

    Snapshot snapshot() {
        long[] read = new long[counts.length];
        for (int i = 0; i < read.length; i++) {
            read[i] = counts[i].sum();
        }
        return new Snapshot(read, sum.sum());
    }
}
