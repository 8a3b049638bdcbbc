package org.sparkformer.data.augment;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.sparkformer.data.source.AtomicFiles;

/**
 * Synonyms from a WordNet dictionary directory ({@code data.noun}, {@code data.verb}, {@code data.adj}, {@code
 * data.adv}, as installed by Debian's wordnet package in {@code /usr/share/wordnet}). Each synset line is {@code
 * offset lex_filenum ss_type w_cnt(hex) word lex_id [word lex_id ...] p_cnt ...}; lines starting with two spaces are
 * the licence header. Two words are synonyms when they share a synset. Lookup is by lower-cased word; multi-word
 * entries have {@code _} turned into spaces and adjective markers such as {@code (a)} removed.
 */
public final class WordNetSynonyms implements Serializable {

    static final List<String> DATA_FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");

    private final Map<String, List<String>> synonyms;

    WordNetSynonyms(Map<String, List<String>> synonyms) {
        this.synonyms = new HashMap<>(synonyms);
    }

    /** Loads every data file present in {@code dir}; fails when none is. */
    public static WordNetSynonyms load(String dir, Configuration conf) {
        Map<String, TreeSet<String>> sets = new TreeMap<>();
        int filesRead = 0;
        for (String name : DATA_FILES) {
            String path = dir + "/" + name;
            if (!AtomicFiles.exists(path, conf)) {
                continue;
            }
            filesRead++;
            String[] lines = new String(AtomicFiles.read(path, conf), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (!lines[i].startsWith("  ") && !lines[i].isBlank()) {
                    addSynset(parseSynsetWords(lines[i], path, i + 1), sets);
                }
            }
        }
        if (filesRead == 0) {
            throw new IllegalArgumentException("no WordNet data files (" + String.join(", ", DATA_FILES) + ") in " + dir);
        }
        Map<String, List<String>> result = new HashMap<>();
        sets.forEach((word, set) -> {
            set.remove(word);
            if (!set.isEmpty()) {
                result.put(word, new ArrayList<>(set));
            }
        });
        return new WordNetSynonyms(result);
    }

    /** The words of one synset line. */
    static List<String> parseSynsetWords(String line, String file, int lineNumber) {
        String[] f = line.trim().split(" +");
        try {
            int count = Integer.parseInt(f[3], 16);
            List<String> words = new ArrayList<>(count);
            for (int w = 0; w < count; w++) {
                String word = f[4 + 2 * w].replaceAll("\\([a-z]+\\)$", "").replace('_', ' ');
                words.add(word.toLowerCase(Locale.ROOT));
            }
            return words;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + ":" + lineNumber + ": not a WordNet synset line: " + e.getMessage(), e);
        }
    }

    private static void addSynset(List<String> words, Map<String, TreeSet<String>> sets) {
        for (String w : words) {
            sets.computeIfAbsent(w, k -> new TreeSet<>()).addAll(words);
        }
    }

    /** Sorted synonyms of {@code word} (case-insensitive), empty when none. */
    public List<String> of(String word) {
        return synonyms.getOrDefault(word.toLowerCase(Locale.ROOT), List.of());
    }

    public int size() {
        return synonyms.size();
    }
}
