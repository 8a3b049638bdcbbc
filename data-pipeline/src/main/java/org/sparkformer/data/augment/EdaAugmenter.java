package org.sparkformer.data.augment;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.sparkformer.data.batch.Seeds;

/**
 * Applies the EDA operations to whitespace-separated words: synonym replacement, random insertion, random swap,
 * random deletion, in that order, each at its rate. Every copy of every example draws from its own generator
 * seeded by (job seed, example key, copy), so the output depends on nothing else.
 */
public final class EdaAugmenter implements Serializable {

    private final AugmentationConfig config;
    private final WordNetSynonyms synonyms;

    /** {@code synonyms} may be null: then synonym replacement and random insertion are skipped. */
    public EdaAugmenter(AugmentationConfig config, WordNetSynonyms synonyms) {
        this.config = config;
        this.synonyms = synonyms;
    }

    /** {@code config.copies()} augmented versions of {@code text}; {@code exampleKey} identifies the example. */
    public List<String> augment(String text, long exampleKey) {
        List<String> copies = new ArrayList<>(config.copies());
        for (int c = 0; c < config.copies(); c++) {
            SplittableRandom random = new SplittableRandom(Seeds.derive(config.seed(), exampleKey, c));
            copies.add(String.join(" ", augmentWords(new ArrayList<>(Arrays.asList(text.trim().split("\\s+"))), random)));
        }
        return copies;
    }

    List<String> augmentWords(List<String> words, SplittableRandom random) {
        if (synonyms != null && config.synonymReplacement() > 0) {
            replaceSynonyms(words, changes(words.size(), config.synonymReplacement()), random);
        }
        if (synonyms != null && config.randomInsertion() > 0) {
            insertSynonyms(words, changes(words.size(), config.randomInsertion()), random);
        }
        if (config.randomSwap() > 0 && words.size() > 1) {
            for (int k = changes(words.size(), config.randomSwap()); k > 0; k--) {
                int i = random.nextInt(words.size());
                int j = random.nextInt(words.size());
                String t = words.get(i);
                words.set(i, words.get(j));
                words.set(j, t);
            }
        }
        if (config.randomDeletion() > 0 && words.size() > 1) {
            List<String> kept = new ArrayList<>();
            for (String w : words) {
                if (random.nextDouble() >= config.randomDeletion()) {
                    kept.add(w);
                }
            }
            return kept.isEmpty() ? List.of(words.get(random.nextInt(words.size()))) : kept;
        }
        return words;
    }

    private static int changes(int words, double rate) {
        return Math.max(1, (int) Math.round(rate * words));
    }

    private void replaceSynonyms(List<String> words, int n, SplittableRandom random) {
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            if (!synonyms.of(words.get(i)).isEmpty()) {
                positions.add(i);
            }
        }
        for (int k = 0; k < n && !positions.isEmpty(); k++) {
            int p = positions.remove(random.nextInt(positions.size()));
            List<String> options = synonyms.of(words.get(p));
            words.set(p, options.get(random.nextInt(options.size())));
        }
    }

    private void insertSynonyms(List<String> words, int n, SplittableRandom random) {
        for (int k = 0; k < n; k++) {
            for (int attempt = 0; attempt < 10; attempt++) {
                List<String> options = synonyms.of(words.get(random.nextInt(words.size())));
                if (!options.isEmpty()) {
                    words.add(random.nextInt(words.size() + 1), options.get(random.nextInt(options.size())));
                    break;
                }
            }
        }
    }
}
