package dev.wharf.terraform.importer;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What an import did, or with {@code --dry-run} would do, item by item. */
public final class ImportReport {
    public enum Outcome {
        COPIED("copied"), WOULD_COPY("would copy"), ALREADY_THERE("already there"), REFUSED("refused");

        private final String label;

        Outcome(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One item of the bucket copy: a module version, a provider release, a signing key, a mirrored release. */
    public record Entry(String item, Outcome outcome, @Nullable String reason) {
        @Override
        public String toString() {
            return String.format("%-13s %s%s", outcome.label(), item, reason == null || reason.isEmpty() ? "" : ": " + reason);
        }
    }

    private final List<Entry> entries = new ArrayList<>();

    void add(String item, Outcome outcome, @Nullable String reason) {
        entries.add(new Entry(item, outcome, reason));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public long count(Outcome outcome) {
        return entries.stream().filter(e -> e.outcome() == outcome).count();
    }

    public boolean refusedAny() {
        return count(Outcome.REFUSED) > 0;
    }

    /** The closing line: how many items were copied (or would be), were already there, were refused. */
    public String summary() {
        String copied = count(Outcome.WOULD_COPY) > 0 ? count(Outcome.WOULD_COPY) + " would be copied"
                : count(Outcome.COPIED) + " copied";
        return copied + ", " + count(Outcome.ALREADY_THERE) + " already there, " + count(Outcome.REFUSED) + " refused";
    }
}
