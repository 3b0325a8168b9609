package dev.wharf.telemetry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A Prometheus text exposition, read into samples: name, labels, value. */
record Scrape(String text, List<Sample> samples) {
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    static Scrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return new Scrape(text, samples);
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(s -> names.add(s.name()));
        return names;
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The samples of {@code name} whose labels include all of {@code labels}. */
    List<Sample> matching(String name, Map<String, String> labels) {
        return named(name).stream().filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
    }

    double value(String name, Map<String, String> labels) {
        List<Sample> found = matching(name, labels);
        if (found.size() != 1) {
            throw new AssertionError("expected one " + name + labels + ", found " + found);
        }
        return found.get(0).value();
    }

    /** The label names every sample of {@code name} carries. */
    Set<String> labelNames(String name) {
        Set<String> names = new TreeSet<>();
        named(name).forEach(s -> names.addAll(s.labels().keySet()));
        return names;
    }
}
