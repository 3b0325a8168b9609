package dev.wharf.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A runnable Wharf jar for tests that need a file (the class-data archive scripts make one from a
 * jar): the packaged jar when it is fresh, else, before {@code package} ran (the test phase of a
 * clean build), a jar of the compiled classes whose manifest names Main and puts the libraries of
 * this test's class path on the jar's class path.
 */
public final class WharfJar {
    private WharfJar() {
    }

    /** Writes the jar to {@code target}. */
    public static void writeTo(Path target) throws IOException {
        Optional<Path> packaged = WharfProcess.freshJar();
        if (packaged.isPresent()) {
            Files.copy(packaged.get(), target);
        } else {
            writeJarOfTheTestClasspath(target);
        }
    }

    private static void writeJarOfTheTestClasspath(Path target) throws IOException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.put(Attributes.Name.MAIN_CLASS, "dev.wharf.cli.Main");
        List<String> libraries = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                libraries.add(Path.of(entry).toAbsolutePath().toUri().toString());
            }
        }
        main.put(Attributes.Name.CLASS_PATH, String.join(" ", libraries));
        try (OutputStream out = Files.newOutputStream(target); JarOutputStream jarOut = new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                jarOut.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, jarOut);
                jarOut.closeEntry();
            }
        }
    }
}
