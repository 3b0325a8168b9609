package dev.wharf.terraform.docs;

import java.util.List;

/** A body of HCL native syntax: its attributes and blocks in file order. */
record HclBody(List<Attribute> attributes, List<Block> blocks) {
    HclBody {
        attributes = List.copyOf(attributes);
        blocks = List.copyOf(blocks);
    }

    /**
     * {@code name = expression}; the expression is kept as its tokens and its source text, since
     * documentation reads some expressions as written (a variable's type) and evaluates others.
     */
    record Attribute(String name, List<HclToken> expression, String source, int line) {
        Attribute {
            expression = List.copyOf(expression);
        }
    }

    record Block(String type, List<String> labels, HclBody body, int line) {
        Block {
            labels = List.copyOf(labels);
        }
    }

    java.util.Optional<Attribute> attribute(String name) {
        // HCL refuses a body that sets one attribute twice; the first is as good an answer as any.
        return attributes.stream().filter(a -> a.name().equals(name)).findFirst();
    }
}
