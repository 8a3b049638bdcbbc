package org.sparkformer.data.tokenize;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * Learns a WordPiece vocabulary of an exact size from a corpus. Word counts are computed on the executors ({@code
 * reduceByKey}); only the counts come to the driver (at most {@code maxWords} of them, the most frequent). There the
 * vocabulary is built as the five special tokens, every character seen at a word start and every {@code ##}-character
 * seen inside a word (the most frequent ones if they alone exceed the size), then sub-word merges in the manner of
 * byte-pair encoding: repeatedly the adjacent pair with the highest frequency-weighted count is merged into a new
 * token, ties broken by the merged string, then the left and right parts, lexicographically. The result depends only
 * on the word counts and the size.
 *
 * @param basic        the basic tokenizer that splits text into words (it must match the one used with the vocabulary)
 * @param targetSize   exact number of tokens wanted, specials included
 * @param minWordCount words seen fewer times are ignored
 * @param maxWords     most distinct words brought to the driver
 */
public record VocabularyTrainer(BasicTokenizer basic, int targetSize, int minWordCount, int maxWords) implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(VocabularyTrainer.class);

    public VocabularyTrainer {
        if (targetSize <= Vocabulary.SPECIAL_TOKENS.size()) {
            throw new IllegalArgumentException("vocabulary size " + targetSize + " leaves no room beyond the "
                    + Vocabulary.SPECIAL_TOKENS.size() + " special tokens");
        }
        if (minWordCount < 1 || maxWords < 1) {
            throw new IllegalArgumentException("minWordCount and maxWords must be >= 1, got " + minWordCount + " and " + maxWords);
        }
    }

    public static VocabularyTrainer of(BasicTokenizer basic, int targetSize) {
        return new VocabularyTrainer(basic, targetSize, 1, 2_000_000);
    }

    /** Counts words of {@code texts} on the executors and builds the vocabulary on the driver. */
    public Vocabulary train(JavaRDD<String> texts) {
        return build(countWords(texts));
    }

    /** Word counts of {@code texts} (at least {@code minWordCount}; the {@code maxWords} most frequent). */
    public Map<String, Long> countWords(JavaRDD<String> texts) {
        BasicTokenizer tokenizer = basic;
        int min = minWordCount;
        JavaPairRDD<String, Long> counts = texts
                .flatMap(text -> tokenizer.tokenize(text).iterator())
                .mapToPair(word -> new Tuple2<>(word, 1L))
                .reduceByKey(Long::sum)
                .filter(pair -> pair._2() >= min);
        List<Tuple2<String, Long>> kept = counts.takeOrdered(maxWords, new MostFrequentFirst());
        Map<String, Long> result = new TreeMap<>();
        kept.forEach(t -> result.put(t._1(), t._2()));
        return result;
    }

    /** Builds the vocabulary from word counts, on the driver. */
    public Vocabulary build(Map<String, Long> wordCounts) {
        TreeMap<String, Long> sortedCounts = new TreeMap<>(wordCounts);
        List<String> alphabet = alphabet(sortedCounts, targetSize - Vocabulary.SPECIAL_TOKENS.size());
        SubwordMerger merger = new SubwordMerger(alphabet, sortedCounts);
        List<String> merged = merger.mergeUntil(targetSize - Vocabulary.SPECIAL_TOKENS.size() - alphabet.size());
        List<String> tokens = new ArrayList<>(alphabet);
        tokens.addAll(merged);
        if (tokens.size() + Vocabulary.SPECIAL_TOKENS.size() < targetSize) {
            LOG.warn("corpus supports only {} tokens, fewer than the {} asked for", tokens.size() + 5, targetSize);
        }
        LOG.info("trained vocabulary: {} characters, {} merged sub-words, from {} distinct words",
                alphabet.size(), merged.size(), sortedCounts.size());
        return Vocabulary.withSpecialTokens(tokens);
    }

    /** Word-start characters and ##-characters, the most frequent {@code budget} of them, sorted. */
    static List<String> alphabet(Map<String, Long> wordCounts, int budget) {
        Map<String, Long> symbolCounts = new HashMap<>();
        wordCounts.forEach((word, count) -> {
            List<String> symbols = SubwordMerger.characters(word);
            symbols.forEach(s -> symbolCounts.merge(s, count, Long::sum));
        });
        List<String> symbols = new ArrayList<>(symbolCounts.keySet());
        symbols.removeIf(s -> Vocabulary.SPECIAL_TOKENS.contains(s));
        symbols.sort(Comparator.comparing((String s) -> -symbolCounts.get(s)).thenComparing(Comparator.naturalOrder()));
        List<String> kept = new ArrayList<>(symbols.subList(0, Math.min(budget, symbols.size())));
        if (kept.size() < symbols.size()) {
            LOG.warn("{} distinct characters exceed the vocabulary budget; the {} rarest become [UNK]",
                    symbols.size(), symbols.size() - kept.size());
        }
        kept.sort(Comparator.naturalOrder());
        return kept;
    }

    /** Orders (word, count) by count descending, then word. */
    static final class MostFrequentFirst implements Comparator<Tuple2<String, Long>>, Serializable {
        @Override
        public int compare(Tuple2<String, Long> a, Tuple2<String, Long> b) {
            int byCount = Long.compare(b._2(), a._2());
            return byCount != 0 ? byCount : a._1().compareTo(b._1());
        }
    }
}
