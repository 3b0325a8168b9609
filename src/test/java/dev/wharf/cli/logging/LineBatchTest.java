package dev.wharf.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A batch holds each line as the charset encodes it, whatever it grows to and however often it is reused. */
class LineBatchTest {
    private static byte[] written(LineBatch batch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        batch.writeTo(out);
        return out.toByteArray();
    }

    private static void addLine(LineBatch batch, String text) {
        batch.line().append(text);
        batch.addLine();
    }

    @Test
    void linesAreTheirCharsetsBytesAsciiOrNot() throws IOException {
        for (Charset charset : new Charset[] {StandardCharsets.UTF_8, StandardCharsets.ISO_8859_1, StandardCharsets.US_ASCII,
                StandardCharsets.UTF_16}) {
            LineBatch batch = new LineBatch(charset);
            String[] lines = {"GET /v1/modules HTTP/1.1 200 228B 0.1ms 127.0.0.1 \"Terraform/1.11.4\"\n",
                "GET /é HTTP/1.1 404 0B 0.0ms ::1 \"Ünïcödé ✓\"\n", "\u007f\u0080 edges\n", "lone \ud800 and \udc00 surrogates, a pair \ud83d\ude00\n", ""};
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (String line : lines) {
                addLine(batch, line);
                expected.write(line.getBytes(charset));
            }
            assertThat(written(batch)).as(charset.name()).isEqualTo(expected.toByteArray());
        }
    }

    @Test
    void utf8LinesAreUtf8WhateverTheBatchsCharset() throws IOException {
        LineBatch batch = new LineBatch(StandardCharsets.US_ASCII);
        batch.line().append("caf\u00e9 \u2713\n");
        batch.addUtf8Line();
        addLine(batch, "caf\u00e9\n");
        assertThat(written(batch)).isEqualTo("caf\u00e9 \u2713\ncaf?\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLineAfterANonAsciiOneStartsWhereThatOneEnded() throws IOException {
        LineBatch batch = new LineBatch(StandardCharsets.UTF_8);
        addLine(batch, "abc ✓ def\n");
        batch.add("made elsewhere\n".getBytes(StandardCharsets.UTF_8));
        addLine(batch, "plain\n");
        assertThat(new String(written(batch), StandardCharsets.UTF_8)).isEqualTo("abc ✓ def\nmade elsewhere\nplain\n");
    }

    @Test
    void growsPastItsFirstArrayAndStartsEmptyAfterEachWrite() throws IOException {
        LineBatch batch = new LineBatch(StandardCharsets.UTF_8);
        String big = "x".repeat(3 * 1024 * 1024) + "\n";
        addLine(batch, big);
        addLine(batch, "after\n");
        assertThat(new String(written(batch), StandardCharsets.UTF_8)).isEqualTo(big + "after\n");
        // Past the size a batch keeps, and after a line longer than the builder keeps: both start small again, empty.
        addLine(batch, "next batch\n");
        assertThat(new String(written(batch), StandardCharsets.UTF_8)).isEqualTo("next batch\n");
        assertThat(written(batch)).isEmpty();
    }
}
