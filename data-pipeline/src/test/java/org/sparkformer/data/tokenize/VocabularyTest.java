package org.sparkformer.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    @TempDir
    Path dir;

    @Test
    void saveAndLoadRoundTripKeepsIdsAndLeavesNoTemporaryFile() throws Exception {
        Vocabulary vocab = Vocabulary.withSpecialTokens(List.of("hello", "##s", "中"));
        String path = dir.resolve("vocab.txt").toString();
        vocab.save(path, new Configuration());
        Vocabulary loaded = Vocabulary.load(path, new Configuration());
        assertEquals(vocab, loaded);
        assertEquals(5, loaded.id("hello"));
        assertEquals(List.of("vocab.txt"), Files.list(dir).map(p -> p.getFileName().toString()).toList());
    }

    @Test
    void loadedBertVocabularyFindsSpecialTokensByName() {
        Vocabulary v = Vocabulary.parse("[PAD]\n[unused0]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\n".getBytes(StandardCharsets.UTF_8), "bert/vocab.txt");
        assertEquals(0, v.padId());
        assertEquals(2, v.unkId());
        assertEquals(5, v.maskId());
        assertTrue(v.isSpecial(3));
        assertFalse(v.isSpecial(1));
    }

    @Test
    void duplicateTokenIsReportedWithFileAndBothLines() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse(
                "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nthe\n".getBytes(StandardCharsets.UTF_8), "v.txt"));
        assertEquals("v.txt:7: duplicate token 'the' (first on line 6)", e.getMessage());
    }

    @Test
    void missingSpecialTokenEmptyFileAndEmptyLineAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse(
                "[PAD]\n[UNK]\n[CLS]\n[SEP]\nthe\n".getBytes(StandardCharsets.UTF_8), "v.txt"))
                .getMessage().contains("v.txt: special token [MASK] is missing"));
        assertEquals("v.txt: vocabulary file is empty", assertThrows(IllegalArgumentException.class,
                () -> Vocabulary.parse(new byte[0], "v.txt")).getMessage());
        assertEquals("v.txt:2: empty token", assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse(
                "[PAD]\n\n[UNK]\n".getBytes(StandardCharsets.UTF_8), "v.txt")).getMessage());
    }
}
