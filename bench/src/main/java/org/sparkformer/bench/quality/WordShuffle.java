package org.sparkformer.bench.quality;

import org.sparkformer.data.batch.Seeds;
import org.sparkformer.data.source.TaggedSentence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The order test's input: each sentence with its words in a random order, every word keeping its own tag. Sentence
 * {@code i} is shuffled with a seed derived from (job seed, {@link #STREAM}, i), the same in every run.
 */
public final class WordShuffle {

    /** Stream under the job seed from which the shuffles derive. */
    static final long STREAM = 0x53485546;

    private final long jobSeed;

    public WordShuffle(long jobSeed) {
        this.jobSeed = jobSeed;
    }

    /** Sentence {@code index} of a split, its (word, tag) pairs permuted. */
    public TaggedSentence shuffle(TaggedSentence sentence, long index) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < sentence.words().size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(Seeds.derive(jobSeed, STREAM, index)));
        List<String> words = new ArrayList<>(order.size());
        List<String> tags = new ArrayList<>(order.size());
        for (int i : order) {
            words.add(sentence.words().get(i));
            tags.add(sentence.tags().get(i));
        }
        return new TaggedSentence(sentence.file(), sentence.line(), words, tags);
    }

    /** Every sentence of a split shuffled, sentence {@code i} with its own seed. */
    public List<TaggedSentence> shuffleAll(List<TaggedSentence> sentences) {
        List<TaggedSentence> out = new ArrayList<>(sentences.size());
        for (int i = 0; i < sentences.size(); i++) {
            out.add(shuffle(sentences.get(i), i));
        }
        return out;
    }
}
