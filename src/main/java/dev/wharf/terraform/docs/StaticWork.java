package dev.wharf.terraform.docs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What evaluating one expression has cost so far, shared by everything that expression holds
 * (its templates' interpolations too), and how many errors HCL would have reported on the way.
 * {@code for} expressions and splats repeat work per element and nest, so a few kilobytes of
 * {@code [for a in X : [for b in X : X]]} would build billions of values: the work, each term read
 * and each value an element makes weighed as its JSON, stops at what one module file may hold.
 */
final class StaticWork {
    /** Units (terms read, bytes of values built) one expression may cost: a file's limit in bytes. */
    static final long MAX_UNITS = ArchiveDocsExtractor.MAX_FILE_BYTES;
    private long spent;
    private int errors;
    private int templates;

    /** Spends {@code units}; false once the expression has cost more than {@link #MAX_UNITS}. */
    boolean spend(long units) {
        spent += units;
        return spent <= MAX_UNITS;
    }

    /** Spends what {@code value} weighs; false once over the limit (weighing stops there too). */
    boolean spendOn(StaticValue value) {
        JsonNode known = value.known();
        if (known == null) {
            return spend(1);
        }
        Deque<JsonNode> left = new ArrayDeque<>();
        left.push(known);
        while (!left.isEmpty()) {
            JsonNode node = left.pop();
            if (!spend(1 + (node.isTextual() ? node.textValue().length() : 0))) {
                return false;
            }
            node.elements().forEachRemaining(left::push);
        }
        return true;
    }

    /**
     * Counts an error HCL reports as it evaluates (a function call, a name nothing binds): a
     * {@code for} condition that errs with its names unknown gives the expression no value, even
     * over an empty collection.
     */
    void error() {
        errors++;
    }

    /**
     * Enters a template within the templates being evaluated; false past {@link HclParser#MAX_NESTING}
     * of them (heredocs interpolating heredocs nest without the lexer counting). Each true is
     * followed by {@link #leaveTemplate}.
     */
    boolean enterTemplate() {
        return ++templates <= HclParser.MAX_NESTING;
    }

    void leaveTemplate() {
        templates--;
    }

    int errors() {
        return errors;
    }
}
