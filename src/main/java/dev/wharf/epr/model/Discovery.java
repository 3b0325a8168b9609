package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code discovery}: the fields and datasets a package is useful with. */
@JsonPropertyOrder({"fields", "datasets"})
public final class Discovery {
    public @Nullable List<Named> fields;
    public @Nullable List<Named> datasets;

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isEmpty() {
        return (fields == null || fields.isEmpty()) && (datasets == null || datasets.isEmpty());
    }

    public static final class Named {
        public String name = "";

        public Named() {
        }

        public Named(String name) {
            this.name = name;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Named n && n.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }
}
