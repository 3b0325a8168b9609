package dev.wharf.epr.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** {@code discovery}: the fields and datasets a package is useful with. */
@JsonPropertyOrder({"fields", "datasets"})
public final class Discovery {
    public List<Named> fields;
    public List<Named> datasets;

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
