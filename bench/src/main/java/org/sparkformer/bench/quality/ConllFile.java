package org.sparkformer.bench.quality;

import org.sparkformer.data.source.TaggedSentence;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A local CoNLL file as the benchmark prepares its inputs from it: {@code word<TAB>tag} lines (the tag in the last
 * column), a blank line between sentences, {@code #} comments skipped. A line without a tab stops the read naming file
 * and line.
 */
final class ConllFile {

    private ConllFile() {
    }

    static List<TaggedSentence> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<TaggedSentence> sentences = new ArrayList<>();
        List<String> words = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        long start = 0;
        for (int i = 0; i <= lines.size(); i++) {
            String line = i < lines.size() ? lines.get(i) : "";
            if (line.isBlank()) {
                if (!words.isEmpty()) {
                    sentences.add(new TaggedSentence(file.toString(), start, words, tags));
                    words.clear();
                    tags.clear();
                }
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t");
            if (fields.length < 2) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected word<TAB>tag, got '" + line + "'");
            }
            if (words.isEmpty()) {
                start = i + 1;
            }
            words.add(fields[0]);
            tags.add(fields[fields.length - 1]);
        }
        return sentences;
    }

    static void write(Path file, List<TaggedSentence> sentences) {
        StringBuilder out = new StringBuilder();
        for (TaggedSentence s : sentences) {
            for (int i = 0; i < s.words().size(); i++) {
                out.append(s.words().get(i)).append('\t').append(s.tags().get(i)).append('\n');
            }
            out.append('\n');
        }
        writeText(file, out.toString());
    }

    /** The words of each sentence joined by spaces, one sentence per line: an unlabelled corpus. */
    static void writeCorpus(Path file, List<TaggedSentence> sentences) {
        StringBuilder out = new StringBuilder();
        for (TaggedSentence s : sentences) {
            out.append(String.join(" ", s.words())).append('\n');
        }
        writeText(file, out.toString());
    }

    private static void writeText(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
