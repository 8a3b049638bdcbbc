package org.sparkformer.bench.quality;

import org.junit.jupiter.api.Test;
import org.sparkformer.data.source.TaggedSentence;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WordShuffleTest {

    private static TaggedSentence sentence(int words) {
        List<String> w = new ArrayList<>();
        List<String> t = new ArrayList<>();
        for (int i = 0; i < words; i++) {
            w.add("w" + i);
            t.add("T" + i);
        }
        return new TaggedSentence("test.conll", 1, w, t);
    }

    @Test
    void theSameSeedAndIndexGiveTheSameOrderAndOtherSeedsAnother() {
        TaggedSentence s = sentence(12);
        assertEquals(new WordShuffle(7).shuffle(s, 3), new WordShuffle(7).shuffle(s, 3));
        assertNotEquals(new WordShuffle(7).shuffle(s, 3).words(), new WordShuffle(8).shuffle(s, 3).words());
        assertNotEquals(new WordShuffle(7).shuffle(s, 3).words(), new WordShuffle(7).shuffle(s, 4).words());
        assertNotEquals(s.words(), new WordShuffle(7).shuffle(s, 3).words());
    }

    @Test
    void everyWordKeepsItsOwnTag() {
        TaggedSentence s = sentence(12);
        TaggedSentence shuffled = new WordShuffle(1234).shuffle(s, 0);
        Map<String, String> tagOf = new HashMap<>();
        for (int i = 0; i < s.words().size(); i++) {
            tagOf.put(s.words().get(i), s.tags().get(i));
        }
        assertEquals(s.words().size(), shuffled.words().size());
        assertEquals(tagOf.keySet(), new java.util.HashSet<>(shuffled.words()));
        for (int i = 0; i < shuffled.words().size(); i++) {
            assertEquals(tagOf.get(shuffled.words().get(i)), shuffled.tags().get(i), "tag of " + shuffled.words().get(i));
        }
    }

    @Test
    void shuffleAllSeedsEachSentenceByItsIndex() {
        List<TaggedSentence> split = List.of(sentence(8), sentence(8));
        List<TaggedSentence> shuffled = new WordShuffle(5).shuffleAll(split);
        assertEquals(new WordShuffle(5).shuffle(split.get(1), 1), shuffled.get(1));
        assertNotEquals(shuffled.get(0).words(), shuffled.get(1).words());
    }
}
