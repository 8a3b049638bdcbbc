package org.sparkformer.data.batch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sparkformer.data.source.BadRecordException;
import org.sparkformer.data.source.BadRecordPolicy;
import org.sparkformer.data.source.BadRecordReason;
import org.sparkformer.data.source.Document;
import org.sparkformer.data.source.LabelSet;
import org.sparkformer.data.source.LabelledText;
import org.sparkformer.data.source.Outcome;
import org.sparkformer.data.source.TaggedSentence;
import org.sparkformer.data.tokenize.BertTokenizer;
import org.sparkformer.data.tokenize.Vocabulary;
import org.sparkformer.kernels.batch.MiniBatch;

class EncodingTest {

    static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(List.of("a", "b", "c", "d", "un", "##aff", "##able", "."));
    static final BertTokenizer TOKENIZER = BertTokenizer.uncased(VOCAB);

    @Test
    void packingKeepsSentencesTogetherAndSplitsLongOnesWithoutDroppingTokens() {
        Document doc = new Document("f", 1, List.of("a b", "c d", "a b c d a b c", "d"));
        List<EncodedSequence> seqs = new DocumentPacker(TOKENIZER, 6).pack(doc);
        List<String> rendered = seqs.stream().map(s -> String.join(" ", Arrays.stream(s.tokenIds()).mapToObj(VOCAB::token).toList())).toList();
        assertEquals(List.of(
                "[CLS] a b c d [SEP]",
                "[CLS] a b c d [SEP]",
                "[CLS] a b c d [SEP]"), rendered);
        assertEquals(List.of(false, true, true), seqs.stream().map(EncodedSequence::truncated).toList());
        int contentTokens = seqs.stream().mapToInt(s -> s.length() - 2).sum();
        assertEquals(12, contentTokens);
    }

    @Test
    void sequenceClassificationTruncatesAndCountsIt() {
        LabelledEncoder encoder = new LabelledEncoder(TOKENIZER, new LabelSet(List.of("neg", "pos")), 5, BadRecordPolicy.FAIL);
        EncodedSequence cut = encoder.sequence(new LabelledText("f", 3, "a b c d", "pos")).value();
        assertArrayEquals(new int[] {VOCAB.clsId(), VOCAB.id("a"), VOCAB.id("b"), VOCAB.id("c"), VOCAB.sepId()}, cut.tokenIds());
        assertEquals(1, cut.label());
        assertTrue(cut.truncated());
        assertFalse(encoder.sequence(new LabelledText("f", 4, "a b", "neg")).value().truncated());
    }

    @Test
    void unknownLabelIsSkippedOrFailsNamingFileAndLine() {
        LabelSet labels = new LabelSet(List.of("neg", "pos"));
        LabelledText row = new LabelledText("data.tsv", 9, "a", "meh");
        Outcome<EncodedSequence> skipped = new LabelledEncoder(TOKENIZER, labels, 8, BadRecordPolicy.SKIP).sequence(row);
        assertEquals(BadRecordReason.UNKNOWN_LABEL, skipped.bad().reason());
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> new LabelledEncoder(TOKENIZER, labels, 8, BadRecordPolicy.FAIL).sequence(row));
        assertEquals("data.tsv:9: unknown label: label 'meh' is not in the label set [neg, pos]", e.getMessage());
    }

    @Test
    void tagOnFirstSubTokenOfEachWordAndPredictionsMapBackToWords() {
        LabelSet tags = new LabelSet(List.of("ADJ", "DET", "PUNCT"));
        LabelledEncoder encoder = new LabelledEncoder(TOKENIZER, tags, 16, BadRecordPolicy.FAIL);
        TaggedSentence sentence = new TaggedSentence("t.conll", 1, List.of("a", "unaffable", "."), List.of("DET", "ADJ", "PUNCT"));
        EncodedSequence seq = encoder.tagged(sentence).value();
        int ig = MiniBatch.IGNORE;
        assertArrayEquals(new int[] {VOCAB.clsId(), VOCAB.id("a"), VOCAB.id("un"), VOCAB.id("##aff"), VOCAB.id("##able"),
                VOCAB.id("."), VOCAB.sepId()}, seq.tokenIds());
        assertArrayEquals(new int[] {ig, 1, 0, ig, ig, 2, ig}, seq.tokenLabels());
        WordAlignment alignment = encoder.align(sentence.words());
        assertArrayEquals(new int[] {1, 2, 5}, alignment.wordStarts());
        assertArrayEquals(alignment.wordStarts(), WordAlignment.wordStartsOf(seq));
        int[] predictions = {9, 1, 0, 2, 2, 2, 9};
        assertArrayEquals(new int[] {1, 0, 2}, alignment.perWord(predictions));
    }

    @Test
    void taggedSentenceLongerThanMaximumIsTruncated() {
        LabelledEncoder encoder = new LabelledEncoder(TOKENIZER, new LabelSet(List.of("X")), 4, BadRecordPolicy.FAIL);
        EncodedSequence seq = encoder.tagged(new TaggedSentence("t", 1, List.of("a", "b", "c"), List.of("X", "X", "X"))).value();
        assertEquals(4, seq.length());
        assertTrue(seq.truncated());
        assertEquals(2, WordAlignment.wordStartsOf(seq).length);
    }
}
