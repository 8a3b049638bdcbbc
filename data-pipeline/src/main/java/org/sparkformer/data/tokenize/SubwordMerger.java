package org.sparkformer.data.tokenize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Byte-pair-encoding style merging over weighted words, kept incremental: pair counts and the words each pair occurs
 * in are updated only for the words a merge touches, and a priority queue (with stale entries skipped) finds the
 * next pair. Symbols are WordPiece strings: a word starts with a plain symbol, continues with {@code ##} symbols.
 */
final class SubwordMerger {

    private final List<String> symbols = new ArrayList<>();
    private final Map<String, Integer> symbolIds = new HashMap<>();
    private final List<int[]> words = new ArrayList<>();
    private final List<Long> weights = new ArrayList<>();
    private final Map<Long, Long> pairCounts = new HashMap<>();
    private final Map<Long, Set<Integer>> pairWords = new HashMap<>();
    private final PriorityQueue<Candidate> queue = new PriorityQueue<>(Candidate.ORDER);

    /** A pair with the count it had when queued. */
    private record Candidate(long key, long count, String merged, String left, String right) {
        static final Comparator<Candidate> ORDER = Comparator.comparingLong((Candidate c) -> -c.count)
                .thenComparing(Candidate::merged).thenComparing(Candidate::left).thenComparing(Candidate::right);
    }

    /** Words (iterated in sorted order) whose characters are all in {@code alphabet} take part. */
    SubwordMerger(List<String> alphabet, Map<String, Long> sortedWordCounts) {
        alphabet.forEach(this::symbolId);
        sortedWordCounts.forEach((word, count) -> {
            List<String> chars = characters(word);
            if (chars.stream().allMatch(symbolIds::containsKey)) {
                int index = words.size();
                int[] seq = chars.stream().mapToInt(symbolIds::get).toArray();
                words.add(seq);
                weights.add(count);
                addPairs(index, seq, +1);
            }
        });
        pairCounts.forEach((key, count) -> queue.add(candidate(key, count)));
    }

    /** The WordPiece characters of a word: first plain, the rest {@code ##}-prefixed. */
    static List<String> characters(String word) {
        List<String> chars = new ArrayList<>();
        word.codePoints().forEach(cp -> {
            String c = new String(Character.toChars(cp));
            chars.add(chars.isEmpty() ? c : WordPieceTokenizer.CONTINUATION + c);
        });
        return chars;
    }

    /** Merges until {@code newTokens} new symbols exist or no pair is left; returns the new symbols in order. */
    List<String> mergeUntil(int newTokens) {
        List<String> created = new ArrayList<>();
        while (created.size() < newTokens && !queue.isEmpty()) {
            Candidate best = queue.poll();
            Long current = pairCounts.get(best.key);
            if (current == null || current != best.count) {
                continue; // stale entry
            }
            boolean isNew = !symbolIds.containsKey(best.merged);
            int mergedId = symbolId(best.merged);
            if (isNew) {
                created.add(best.merged);
            }
            apply(best.key, mergedId);
        }
        return created;
    }

    private void apply(long key, int mergedId) {
        int left = (int) (key >>> 32);
        int right = (int) key;
        Set<Integer> touched = pairWords.remove(key);
        Set<Long> changed = new HashSet<>();
        for (int w : touched.stream().sorted().toList()) {
            int[] seq = words.get(w);
            int[] merged = mergeIn(seq, left, right, mergedId);
            if (merged.length == seq.length) {
                continue;
            }
            changed.addAll(addPairs(w, seq, -1));
            changed.addAll(addPairs(w, merged, +1));
            words.set(w, merged);
        }
        pairCounts.remove(key);
        for (long k : changed) {
            Long count = pairCounts.get(k);
            if (count != null && count > 0 && k != key) {
                queue.add(candidate(k, count));
            }
        }
    }

    private static int[] mergeIn(int[] seq, int left, int right, int mergedId) {
        int[] out = new int[seq.length];
        int n = 0;
        for (int i = 0; i < seq.length; i++) {
            if (i + 1 < seq.length && seq[i] == left && seq[i + 1] == right) {
                out[n++] = mergedId;
                i++;
            } else {
                out[n++] = seq[i];
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }

    /** Adds (sign +1) or removes (-1) the pairs of word {@code w}; returns the pair keys touched. */
    private List<Long> addPairs(int w, int[] seq, int sign) {
        List<Long> keys = new ArrayList<>(seq.length);
        long weight = weights.get(w) * sign;
        for (int i = 0; i + 1 < seq.length; i++) {
            long key = ((long) seq[i] << 32) | (seq[i + 1] & 0xffffffffL);
            keys.add(key);
            long updated = pairCounts.merge(key, weight, Long::sum);
            if (updated <= 0) {
                pairCounts.remove(key);
            }
            if (sign > 0) {
                pairWords.computeIfAbsent(key, k -> new HashSet<>()).add(w);
            }
        }
        return keys;
    }

    private Candidate candidate(long key, long count) {
        String left = symbols.get((int) (key >>> 32));
        String right = symbols.get((int) key);
        String merged = left + (right.startsWith(WordPieceTokenizer.CONTINUATION)
                ? right.substring(WordPieceTokenizer.CONTINUATION.length()) : right);
        return new Candidate(key, count, merged, left, right);
    }

    private int symbolId(String symbol) {
        return symbolIds.computeIfAbsent(symbol, s -> {
            symbols.add(s);
            return symbols.size() - 1;
        });
    }
}
