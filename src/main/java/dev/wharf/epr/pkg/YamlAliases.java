package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The anchors of one YAML document and what its aliases cost, as go-yaml (which EPR reads
 * manifests with) counts them. An alias is the anchored value again, a copy of it: the tree it is
 * put in may still be changed (dotted keys merge into mappings). A few hundred bytes of aliases
 * of aliases name billions of values, so go-yaml's rule is kept: past 1 000 values read, of which
 * more than 100 came from aliases, the share of values that came from aliases may be at most 99 %
 * up to 400 000 values, falling to 10 % at 4 000 000.
 */
final class YamlAliases {
    private static final int RATIO_RANGE_LOW = 400_000;
    private static final int RATIO_RANGE_HIGH = 4_000_000;

    private final Map<String, JsonNode> anchored = new HashMap<>();
    private final Set<String> open = new HashSet<>();
    private long values;
    private long fromAliases;

    /** One value (or key) read from the document itself. */
    void counted(JsonParser p) throws JsonParseException {
        values++;
        check(p);
    }

    /** The value anchored {@code name} is being read: an alias to it until it ends holds itself. */
    void opened(String name) {
        open.add(name);
    }

    /** {@code value} is anchored {@code name}; a later anchor of the same name replaces it, as in go-yaml. */
    void anchored(String name, JsonNode value) {
        open.remove(name);
        anchored.put(name, value);
    }

    /** The value the alias {@code name} stands for: a copy, counted. */
    JsonNode alias(String name, JsonParser p) throws JsonParseException {
        if (open.contains(name)) {
            throw new JsonParseException(p, "anchor '" + name + "' value contains itself");
        }
        JsonNode value = anchored.get(name);
        if (value == null) {
            throw new JsonParseException(p, "unknown anchor '" + name + "' referenced");
        }
        long size = size(value);
        values += 1 + size;
        fromAliases += size;
        check(p);
        return value.deepCopy();
    }

    private void check(JsonParser p) throws JsonParseException {
        if (fromAliases > 100 && values > 1000 && (double) fromAliases / values > allowedRatio(values)) {
            throw new JsonParseException(p, "document contains excessive aliasing");
        }
    }

    private static double allowedRatio(long values) {
        if (values <= RATIO_RANGE_LOW) {
            return 0.99;
        }
        if (values >= RATIO_RANGE_HIGH) {
            return 0.10;
        }
        return 0.99 - 0.89 * ((double) (values - RATIO_RANGE_LOW) / (RATIO_RANGE_HIGH - RATIO_RANGE_LOW));
    }

    /** The values and keys {@code node} is made of, itself included, as go-yaml counts decoding it again. */
    private static long size(JsonNode node) {
        long n = 1;
        if (node.isObject()) {
            n += node.size();
        }
        for (JsonNode child : node) {
            n += size(child);
        }
        return n;
    }
}
