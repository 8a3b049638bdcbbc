package org.sparkformer.driver.executor;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor side uses no driver package, as its package-info says: what a task runs is all in this folder. */
class ExecutorSideImportsTest {

    private static final Path SOURCES = Path.of(System.getProperty("sparkformer.repo.root", ".."),
            "driver/src/main/java/org/sparkformer/driver/executor");
    private static final Pattern DRIVER_NAME = Pattern.compile("org\\.sparkformer\\.driver\\.(\\w+)\\.[A-Z]");

    @Test
    void executorSourcesNameNoDriverPackage() throws IOException {
        List<String> found = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.list(SOURCES)) {
            sources = files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = DRIVER_NAME.matcher(lines.get(i));
                while (m.find()) {
                    if (!m.group(1).equals("executor")) {
                        found.add(source.getFileName() + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }

        assertTrue(sources.size() > 20, "executor sources not found under " + SOURCES);
        assertEquals(List.of(), found);
    }
}
