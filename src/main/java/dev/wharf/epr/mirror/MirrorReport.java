package dev.wharf.epr.mirror;

import java.util.ArrayList;
import java.util.List;

/** The outcome of one {@code mirror} run, package by package. */
public final class MirrorReport {
    /** A version not copied, and why. */
    public record Refusal(String tag, String reason) {
    }

    private final List<String> copied = new ArrayList<>();
    private final List<String> alreadyThere = new ArrayList<>();
    private final List<Refusal> refused = new ArrayList<>();
    private long bytes;
    private int unsigned;

    void copied(String tag, long size, boolean signed) {
        copied.add(tag);
        bytes += size;
        if (!signed) {
            unsigned++;
        }
    }

    void alreadyThere(String tag) {
        alreadyThere.add(tag);
    }

    void refused(String tag, String reason) {
        refused.add(new Refusal(tag, reason));
    }

    public List<String> copied() {
        return List.copyOf(copied);
    }

    public List<String> alreadyThere() {
        return List.copyOf(alreadyThere);
    }

    public List<Refusal> refused() {
        return List.copyOf(refused);
    }

    public long bytes() {
        return bytes;
    }

    /** Packages copied without a {@code .sig} upstream. */
    public int unsigned() {
        return unsigned;
    }

    public int done() {
        return copied.size() + alreadyThere.size() + refused.size();
    }
}
