package org.sparkformer.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A small synthetic language made to show what pretraining is for: knowledge of words that the labelled data
 * never shows. Its content words fall into topics; a sentence mixes the words of one topic with shared function
 * words. The unlabelled corpus uses every word. A labelled example's label is its topic, and its content words
 * come from the first half of each topic's words in the training split and only from the second half in the
 * validation and test splits. A model fine-tuned from fresh weights has never seen a test word, so it can only
 * guess; a pretrained model has learnt from the corpus which words keep company, and so which topic a new word
 * belongs to.
 */
final class TopicLanguage {

    static final int TOPICS = 6;
    static final int WORDS_PER_TOPIC = 40;
    private static final List<String> FUNCTION_WORDS =
            List.of("the", "a", "of", "and", "with", "in", "is", "to", "for", "on", "by", "at", "from", "that", "this");
    private static final String CONSONANTS = "bdfgklmnprstvz";
    private static final String VOWELS = "aeiou";

    /** The four files that {@link #write} makes. */
    record Splits(Path corpus, Path train, Path validation, Path test) {
    }

    private final Random random;
    private final List<List<String>> topics = new ArrayList<>();

    private TopicLanguage(long seed) {
        this.random = new Random(seed);
        Set<String> taken = new LinkedHashSet<>(FUNCTION_WORDS);
        for (int t = 0; t < TOPICS; t++) {
            List<String> words = new ArrayList<>();
            while (words.size() < WORDS_PER_TOPIC) {
                String word = pseudoWord();
                if (taken.add(word)) {
                    words.add(word);
                }
            }
            topics.add(words);
        }
    }

    /**
     * Writes a corpus of {@code corpusLines} sentences and labelled splits of {@code trainSize},
     * {@code evalSize} and {@code evalSize} examples ({@code label<TAB>text}) into {@code dir}.
     */
    static Splits write(Path dir, long seed, int corpusLines, int trainSize, int evalSize) throws IOException {
        TopicLanguage language = new TopicLanguage(seed);
        Files.createDirectories(dir);
        Splits files = new Splits(dir.resolve("corpus.txt"), dir.resolve("train.tsv"), dir.resolve("validation.tsv"),
                dir.resolve("test.tsv"));
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < corpusLines; i++) {
            int topic = language.random.nextInt(TOPICS);
            corpus.add(language.sentence(language.topics.get(topic), 8, 14));
        }
        Files.write(files.corpus(), corpus);
        Files.write(files.train(), language.labelled(trainSize, 0));
        Files.write(files.validation(), language.labelled(evalSize, WORDS_PER_TOPIC / 2));
        Files.write(files.test(), language.labelled(evalSize, WORDS_PER_TOPIC / 2));
        return files;
    }

    static String label(int topic) {
        return "topic" + topic;
    }

    /** Examples whose content words are the half of each topic's words starting at {@code from}. */
    private List<String> labelled(int n, int from) {
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int topic = random.nextInt(TOPICS);
            List<String> pool = topics.get(topic).subList(from, from + WORDS_PER_TOPIC / 2);
            String text = sentence(pool, 6, 10);
            if (List.of(text.split(" ")).stream().noneMatch(pool::contains)) {
                text = pool.get(random.nextInt(pool.size())) + " " + text;
            }
            lines.add(label(topic) + "\t" + text);
        }
        return lines;
    }

    /** Between {@code min} and {@code max} words, each a content word from {@code pool} or a function word. */
    private String sentence(List<String> pool, int min, int max) {
        int length = min + random.nextInt(max - min + 1);
        List<String> words = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            words.add(random.nextBoolean() ? pool.get(random.nextInt(pool.size()))
                    : FUNCTION_WORDS.get(random.nextInt(FUNCTION_WORDS.size())));
        }
        return String.join(" ", words);
    }

    /** Two or three consonant-vowel syllables, e.g. "kabi", "nusode". */
    private String pseudoWord() {
        int syllables = 2 + random.nextInt(2);
        StringBuilder word = new StringBuilder();
        for (int s = 0; s < syllables; s++) {
            word.append(CONSONANTS.charAt(random.nextInt(CONSONANTS.length())))
                    .append(VOWELS.charAt(random.nextInt(VOWELS.length())));
        }
        return word.toString();
    }
}
