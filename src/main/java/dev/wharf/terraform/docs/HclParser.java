package dev.wharf.terraform.docs;

import dev.wharf.oci.PrintableText;
import dev.wharf.terraform.docs.HclToken.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the structure of an HCL native-syntax file: bodies of attributes and labelled blocks.
 * An attribute's expression is not interpreted here, only delimited: it runs to the end of its
 * line, except inside brackets, braces and parentheses, where newlines do not end it — so
 * {@code for} expressions, conditionals, function calls and nested objects pass whole.
 */
final class HclParser {
    /**
     * How deep blocks may nest. Terraform's own stay within a handful; a file of {@code a{} repeated
     * 20 000 times overflowed the stack of the request that read it (the page and the API failed on
     * every view), so deeper is a syntax error here.
     */
    static final int MAX_NESTING = 100;

    /** How much of a token a note quotes: a string token or a name may run a whole line of any length. */
    static final int MAX_QUOTED = 200;

    private final String src;
    private final List<HclToken> tokens;
    private int at;

    private HclParser(String src, List<HclToken> tokens) {
        this.src = src;
        this.tokens = tokens;
    }

    static HclBody parse(String src) throws HclSyntaxException {
        HclParser parser = new HclParser(src, HclLexer.tokens(src));
        return parser.body(0, 0);
    }

    /** A body up to its closing brace, or to the end of the file when {@code opened} (the line of its block) is 0. */
    private HclBody body(int opened, int depth) throws HclSyntaxException {
        if (depth > MAX_NESTING) {
            throw new HclSyntaxException(opened, "blocks nested more than " + MAX_NESTING + " deep");
        }
        List<HclBody.Attribute> attributes = new ArrayList<>();
        List<HclBody.Block> blocks = new ArrayList<>();
        while (true) {
            while (peek().kind() == Kind.NEWLINE) {
                at++;
            }
            HclToken token = peek();
            if (token.kind() == Kind.EOF) {
                if (opened > 0) {
                    throw new HclSyntaxException(opened, "a block is never closed with '}'");
                }
                return new HclBody(attributes, blocks);
            }
            if (token.punct("}")) {
                if (opened == 0) {
                    throw new HclSyntaxException(token.line(), "a '}' closes no block");
                }
                return new HclBody(attributes, blocks);
            }
            if (token.kind() != Kind.IDENT) {
                throw new HclSyntaxException(token.line(), "expected an attribute or block name, found '" + quoted(token.text()) + "'");
            }
            at++;
            if (peek().punct("=")) {
                at++;
                attributes.add(attribute(token));
            } else {
                blocks.add(block(token, depth));
            }
            endOfItem();
        }
    }

    private HclBody.Attribute attribute(HclToken name) throws HclSyntaxException {
        int first = at;
        int depth = 0;
        while (true) {
            HclToken t = peek();
            if (t.kind() == Kind.EOF || (depth == 0 && (t.kind() == Kind.NEWLINE || t.punct("}")))) {
                break;
            }
            if (t.punct("(") || t.punct("[") || t.punct("{")) {
                depth++;
            } else if (t.punct(")") || t.punct("]") || t.punct("}")) {
                depth--;
            }
            at++;
        }
        if (depth != 0) {
            throw new HclSyntaxException(name.line(), "the value of '" + quoted(name.text()) + "' has unbalanced brackets");
        }
        List<HclToken> expression = tokens.subList(first, at);
        if (expression.isEmpty()) {
            throw new HclSyntaxException(name.line(), "'" + quoted(name.text()) + "' has no value after '='");
        }
        String source = src.substring(expression.get(0).start(), expression.get(expression.size() - 1).end());
        return new HclBody.Attribute(name.text(), expression, source, name.line());
    }

    private HclBody.Block block(HclToken type, int depth) throws HclSyntaxException {
        List<String> labels = new ArrayList<>();
        while (!peek().punct("{")) {
            HclToken label = peek();
            if (label.kind() == Kind.IDENT || (label.kind() == Kind.STRING && label.literal() != null)) {
                labels.add(label.kind() == Kind.IDENT ? label.text() : label.literal());
                at++;
            } else {
                throw new HclSyntaxException(label.line(), "block '" + quoted(type.text()) + "' needs '=' or '{' after its name and labels");
            }
        }
        at++;
        HclBody body = body(type.line(), depth + 1);
        at++; // its closing '}'
        return new HclBody.Block(type.text(), labels, body, type.line());
    }

    private void endOfItem() throws HclSyntaxException {
        HclToken t = peek();
        if (t.kind() != Kind.NEWLINE && t.kind() != Kind.EOF && !t.punct("}")) {
            throw new HclSyntaxException(t.line(), "expected a new line, found '" + quoted(t.text()) + "'");
        }
    }

    private HclToken peek() {
        return tokens.get(at);
    }

    /**
     * A token of the publisher's file as a note quotes it: the note reaches the read API's
     * {@code note_details}, the log and a terminal as well as the page, so on one line, escaped, and cut.
     */
    static String quoted(String token) {
        return PrintableText.oneLine(token, MAX_QUOTED);
    }
}
