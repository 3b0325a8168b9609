package dev.wharf.epr.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import org.jspecify.annotations.Nullable;

/**
 * Text nodes whose strings are interned, for the parts of a package kept as trees (an index
 * template's settings and mappings, privileges, default values): as {@link InterningStringDeserializer}
 * for the bound fields, and for the same reason.
 */
final class InterningNodeFactory extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    @Override
    public TextNode textNode(@Nullable String text) {
        return super.textNode(text == null ? null : text.intern());
    }
}
