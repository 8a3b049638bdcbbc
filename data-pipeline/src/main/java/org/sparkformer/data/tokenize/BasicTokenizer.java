package org.sparkformer.data.tokenize;

import java.io.Serializable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * BERT's basic tokenizer: drops NUL, U+FFFD and control characters, maps whitespace to spaces, puts spaces around
 * CJK ideographs, splits on whitespace, optionally lower-cases and strips accents (NFD, then drop non-spacing marks),
 * and splits every punctuation character into its own token. Works on code points, as the reference does.
 *
 * @param lowerCase    lower-case the text (uncased models)
 * @param stripAccents strip accents (BERT does so exactly when it lower-cases)
 */
public record BasicTokenizer(boolean lowerCase, boolean stripAccents) implements Serializable {

    /** The uncased BERT setting: lower-case and strip accents. */
    public static BasicTokenizer uncased() {
        return new BasicTokenizer(true, true);
    }

    /** The cased BERT setting: keep case and accents. */
    public static BasicTokenizer cased() {
        return new BasicTokenizer(false, false);
    }

    public List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        for (String word : splitOnWhitespace(spaceOutCjk(clean(text)))) {
            String w = word;
            if (lowerCase) {
                w = w.toLowerCase(Locale.ROOT);
            }
            if (stripAccents) {
                w = stripAccents(w);
            }
            splitOnPunctuation(w, tokens);
        }
        return tokens;
    }

    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp == 0 || cp == 0xFFFD || isControl(cp)) {
                return;
            }
            out.appendCodePoint(isWhitespace(cp) ? ' ' : cp);
        });
        return out.toString();
    }

    private static String spaceOutCjk(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (isCjk(cp)) {
                out.append(' ').appendCodePoint(cp).append(' ');
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    /** Splits on runs of whitespace (after cleaning, only spaces remain). */
    static List<String> splitOnWhitespace(String text) {
        List<String> words = new ArrayList<>();
        for (String w : text.strip().split(" +")) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    private static String stripAccents(String word) {
        String decomposed = Normalizer.normalize(word, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        decomposed.codePoints().filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static void splitOnPunctuation(String word, List<String> out) {
        StringBuilder current = new StringBuilder();
        word.codePoints().forEach(cp -> {
            if (isPunctuation(cp)) {
                if (!current.isEmpty()) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                out.add(new String(Character.toChars(cp)));
            } else {
                current.appendCodePoint(cp);
            }
        });
        if (!current.isEmpty()) {
            out.add(current.toString());
        }
    }

    static boolean isWhitespace(int cp) {
        return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || Character.getType(cp) == Character.SPACE_SEPARATOR;
    }

    static boolean isControl(int cp) {
        if (cp == '\t' || cp == '\n' || cp == '\r') {
            return false;
        }
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.FORMAT;
    }

    /** ASCII non-letter/digit symbols count as punctuation, as in BERT, plus every Unicode P* character. */
    static boolean isPunctuation(int cp) {
        if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96) || (cp >= 123 && cp <= 126)) {
            return true;
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK Unified Ideographs blocks BERT splits character by character. */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F) || (cp >= 0x2B820 && cp <= 0x2CEAF)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
