package org.sparkformer.data.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BertTokenizerTest {

    static final Vocabulary VOCAB = Vocabulary.withSpecialTokens(List.of(
            "un", "##aff", "##able", "the", "a", "##a", ",", ".", "!", "'", "中", "国", "hello", "world", "##s",
            "cafe", "naive", "don", "t", "Hello"));

    static Stream<Arguments> uncasedTable() {
        return Stream.of(
                Arguments.of("UNaffable", List.of("un", "##aff", "##able")),
                Arguments.of("Héllo, World!", List.of("hello", ",", "world", "!")),
                Arguments.of("hello worlds", List.of("hello", "world", "##s")),
                Arguments.of("中国", List.of("中", "国")),
                Arguments.of("hello中国world", List.of("hello", "中", "国", "world")),
                Arguments.of("xyz", List.of("[UNK]")),
                Arguments.of("unaffablex the", List.of("[UNK]", "the")),
                Arguments.of("café naïve", List.of("cafe", "naive")),
                Arguments.of("don't", List.of("don", "'", "t")),
                Arguments.of("hel\u00adlo\u0000 \tworld\n", List.of("hello", "world")),
                Arguments.of("a".repeat(100), Stream.concat(Stream.of("a"), Stream.generate(() -> "##a").limit(99)).toList()),
                Arguments.of("a".repeat(101), List.of("[UNK]")),
                Arguments.of("   ", List.of()));
    }

    @ParameterizedTest
    @MethodSource("uncasedTable")
    void uncasedTokenizationMatchesHandCheckedWordPieces(String text, List<String> expected) {
        assertEquals(expected, BertTokenizer.uncased(VOCAB).tokenize(text));
    }

    @Test
    void casedTokenizerKeepsCaseAndAccents() {
        BertTokenizer cased = new BertTokenizer(VOCAB, BasicTokenizer.cased());
        assertEquals(List.of("Hello", "[UNK]", "[UNK]"), cased.tokenize("Hello World café"));
    }

    @Test
    void basicTokenizerSplitsUnicodePunctuationAndLowercases() {
        assertEquals(List.of("«", "quoted", "»", "—", "dash", "¿", "que", "?"),
                BasicTokenizer.uncased().tokenize("«Quoted»—dash ¿Qué?"));
    }

    @Test
    void encodeGivesVocabularyIds() {
        assertEquals(List.of(VOCAB.id("un"), VOCAB.id("##aff"), VOCAB.id("##able"), VOCAB.unkId()),
                BertTokenizer.uncased(VOCAB).encode("unaffable zzz").stream().boxed().toList());
    }
}
