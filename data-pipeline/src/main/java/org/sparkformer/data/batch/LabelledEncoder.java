package org.sparkformer.data.batch;

import java.io.Serializable;
import java.util.List;
import org.sparkformer.data.source.BadRecord;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.Outcome;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.IntList;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

/**
 * Encodes labelled text for fine-tuning: {@code [CLS] tokens [SEP]} cut to {@code maxLength} (marked truncated when
 * cut). For sequence classification the sequence carries the label id; for token tagging the first sub-token of each
 * word carries the word's tag id and the other sub-tokens {@link MiniBatch#IGNORE}. A label not in the label set is a
 * bad record ({@link BadRecordReason#UNKNOWN_LABEL}).
 */
public final class LabelledEncoder implements Serializable {

    private final BertTokenizer tokenizer;
    private final LabelSet labels;
    private final int maxLength;
    private final BadRecordPolicy policy;

    public LabelledEncoder(BertTokenizer tokenizer, LabelSet labels, int maxLength, BadRecordPolicy policy) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room beside [CLS] and [SEP]");
        }
        this.tokenizer = tokenizer;
        this.labels = labels;
        this.maxLength = maxLength;
        this.policy = policy;
    }

    /** A sequence-classification example. */
    public Outcome<EncodedSequence> sequence(LabelledText text) {
        int label = labels.id(text.label());
        if (label < 0) {
            return unknownLabel(text.file(), text.line(), text.label());
        }
        EncodedSequence framed = unlabelled(tokenizer, text.text(), maxLength, text.sourceRef());
        return Outcome.good(new EncodedSequence(framed.tokenIds(), null, label, framed.truncated(), text.sourceRef()));
    }

    /**
     * A text without a label, {@code [CLS] tokens [SEP]} cut to {@code maxLength} as {@link #sequence} cuts it: the
     * input of an encoder that is asked for its hidden states rather than a prediction.
     */
    public static EncodedSequence unlabelled(BertTokenizer tokenizer, String text, int maxLength, String sourceRef) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room beside [CLS] and [SEP]");
        }
        IntList tokens = tokenizer.encode(text);
        int kept = Math.min(tokens.size(), maxLength - 2);
        Vocabulary v = tokenizer.vocabulary();
        int[] ids = new int[kept + 2];
        ids[0] = v.clsId();
        for (int i = 0; i < kept; i++) {
            ids[i + 1] = tokens.get(i);
        }
        ids[kept + 1] = v.sepId();
        return EncodedSequence.unlabelled(ids, kept < tokens.size(), sourceRef);
    }

    /** A token-tagging example. */
    public Outcome<EncodedSequence> tagged(TaggedSentence sentence) {
        int[] tagIds = new int[sentence.tags().size()];
        for (int w = 0; w < tagIds.length; w++) {
            tagIds[w] = labels.id(sentence.tags().get(w));
            if (tagIds[w] < 0) {
                return unknownLabel(sentence.file(), sentence.line() + w, sentence.tags().get(w));
            }
        }
        WordAlignment alignment = align(sentence.words());
        int[] tokenLabels = new int[alignment.tokenIds().length];
        java.util.Arrays.fill(tokenLabels, MiniBatch.IGNORE);
        int[] starts = alignment.wordStarts();
        for (int w = 0; w < starts.length; w++) {
            tokenLabels[starts[w]] = tagIds[w];
        }
        return Outcome.good(new EncodedSequence(alignment.tokenIds(), tokenLabels, MiniBatch.IGNORE,
                alignment.truncated(), sentence.sourceRef()));
    }

    /**
     * Token ids of {@code words} with the position of each word's first sub-token; a word that tokenizes to nothing
     * becomes [UNK] so every word keeps a position. Words cut off by the maximum length have no position.
     */
    public WordAlignment align(List<String> words) {
        Vocabulary v = tokenizer.vocabulary();
        IntList ids = new IntList(maxLength);
        IntList starts = new IntList(words.size());
        ids.add(v.clsId());
        IntList wordTokens = new IntList();
        boolean truncated = false;
        for (String word : words) {
            wordTokens.clear();
            tokenizer.encodeInto(word, wordTokens);
            if (wordTokens.isEmpty()) {
                wordTokens.add(v.unkId());
            }
            int room = maxLength - 1 - ids.size();
            if (room <= 0) {
                truncated = true;
                break;
            }
            starts.add(ids.size());
            for (int i = 0; i < Math.min(room, wordTokens.size()); i++) {
                ids.add(wordTokens.get(i));
            }
            truncated |= wordTokens.size() > room;
        }
        ids.add(v.sepId());
        return new WordAlignment(ids.toArray(), starts.toArray(), truncated);
    }

    private Outcome<EncodedSequence> unknownLabel(String file, long line, String label) {
        return Outcome.reject(new BadRecord(file, line, BadRecordReason.UNKNOWN_LABEL,
                "label '" + label + "' is not in the label set " + allowedLabels()), policy);
    }

    /** The label set for messages: "[a, b, c]", the first 20 labels when there are more. */
    private String allowedLabels() {
        List<String> all = labels.labels();
        if (all.size() <= 20) {
            return all.toString();
        }
        return all.subList(0, 20).toString().replace("]", ", ... " + (all.size() - 20) + " more]");
    }
}
