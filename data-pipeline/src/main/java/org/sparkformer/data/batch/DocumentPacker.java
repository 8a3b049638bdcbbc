package org.sparkformer.data.batch;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.IntList;

/**
 * Packs a document into pretraining sequences {@code [CLS] tokens... [SEP]} of at most {@code maxLength} tokens:
 * consecutive sentences share a sequence while they fit; a sentence that does not fit starts the next sequence; a
 * sentence longer than a whole sequence is split across sequences, and each sequence holding part of a split
 * sentence is marked truncated. Nothing is dropped. Documents never share a sequence.
 */
public final class DocumentPacker implements Serializable {

    private final BertTokenizer tokenizer;
    private final int maxLength;

    public DocumentPacker(BertTokenizer tokenizer, int maxLength) {
        if (maxLength < 3) {
            throw new IllegalArgumentException("maxLength " + maxLength + " leaves no room beside [CLS] and [SEP]");
        }
        this.tokenizer = tokenizer;
        this.maxLength = maxLength;
    }

    public List<EncodedSequence> pack(Document document) {
        int capacity = maxLength - 2;
        List<EncodedSequence> out = new ArrayList<>();
        IntList current = new IntList(maxLength);
        boolean currentSplit = false;
        IntList sentence = new IntList();
        for (String text : document.sentences()) {
            sentence.clear();
            tokenizer.encodeInto(text, sentence);
            if (sentence.isEmpty()) {
                continue;
            }
            if (sentence.size() > capacity - current.size() && !current.isEmpty()) {
                out.add(sequence(current, currentSplit, document));
                current.clear();
                currentSplit = false;
            }
            int start = 0;
            boolean split = sentence.size() > capacity;
            while (sentence.size() - start > capacity) {
                for (int i = start; i < start + capacity; i++) {
                    current.add(sentence.get(i));
                }
                out.add(sequence(current, true, document));
                current.clear();
                start += capacity;
            }
            for (int i = start; i < sentence.size(); i++) {
                current.add(sentence.get(i));
            }
            currentSplit |= split;
        }
        if (!current.isEmpty()) {
            out.add(sequence(current, currentSplit, document));
        }
        return out;
    }

    private EncodedSequence sequence(IntList content, boolean split, Document document) {
        int[] ids = new int[content.size() + 2];
        ids[0] = tokenizer.vocabulary().clsId();
        for (int i = 0; i < content.size(); i++) {
            ids[i + 1] = content.get(i);
        }
        ids[ids.length - 1] = tokenizer.vocabulary().sepId();
        return EncodedSequence.unlabelled(ids, split, document.sourceRef());
    }
}
