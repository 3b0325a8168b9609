package dev.wharf.epr.pkg;

import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Jackson's YAML factory, whose parsers also tell the anchor of every node. Jackson's own parser
 * tells it for mappings and sequences only (a scalar value's {@code &name} is dropped), and an
 * anchor is what an alias elsewhere in the file names: go-yaml, which EPR reads manifests with,
 * expands both.
 */
final class AnchoredYamlFactory extends YAMLFactory {
    private static final long serialVersionUID = 1L;

    @Override
    protected YAMLParser _createParser(InputStream in, IOContext ctxt) throws IOException {
        return new AnchoredYamlParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec,
                _createReader(in, null, ctxt));
    }

    @Override
    protected YAMLParser _createParser(Reader r, IOContext ctxt) {
        return new AnchoredYamlParser(ctxt, _parserFeatures, _yamlParserFeatures, _loaderOptions, _objectCodec, r);
    }

    /** A YAML parser that tells the anchor of the node at its current token. */
    static final class AnchoredYamlParser extends YAMLParser {
        AnchoredYamlParser(IOContext ctxt, int parserFeatures, int formatFeatures, LoaderOptions options,
                ObjectCodec codec, Reader reader) {
            super(ctxt, parserFeatures, formatFeatures, options, codec, reader);
        }

        /**
         * The anchor the current value is given ({@code &name}), or null. The last event read is
         * the current token's: a scalar's, or the start of a mapping or sequence. An alias event
         * holds the anchor it names, not one of its own.
         */
        @Nullable String anchor() {
            if (_lastEvent instanceof NodeEvent node && !(node instanceof AliasEvent)) {
                return node.getAnchor();
            }
            return null;
        }

        /** Whether the key at the current field name is written plain: {@code "<<"} quoted is no merge key. */
        boolean plainKey() {
            return _lastEvent instanceof ScalarEvent scalar && scalar.isPlain();
        }
    }
}
