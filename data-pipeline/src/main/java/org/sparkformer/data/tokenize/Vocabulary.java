package org.sparkformer.data.tokenize;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.sparkformer.data.source.AtomicFiles;

/**
 * Tokens and their ids (id = position = line number - 1 in {@code vocab.txt}). The special tokens {@code [PAD]},
 * {@code [UNK]}, {@code [CLS]}, {@code [SEP]} and {@code [MASK]} must be present; a trained vocabulary puts them at
 * ids 0..4, a loaded one (a BERT {@code vocab.txt}) has them wherever its file does.
 */
public final class Vocabulary implements Serializable {

    public static final String PAD = "[PAD]";
    public static final String UNK = "[UNK]";
    public static final String CLS = "[CLS]";
    public static final String SEP = "[SEP]";
    public static final String MASK = "[MASK]";
    /** The special tokens in the order a trained vocabulary gives them ids 0..4. */
    public static final List<String> SPECIAL_TOKENS = List.of(PAD, UNK, CLS, SEP, MASK);
    public static final String FILE_NAME = "vocab.txt";

    private final List<String> tokens;
    private final Map<String, Integer> ids;
    private final int padId;
    private final int unkId;
    private final int clsId;
    private final int sepId;
    private final int maskId;
    private final boolean[] special;

    /**
     * A vocabulary of {@code tokens} (id = index); {@code origin} names where they came from in error messages.
     */
    public Vocabulary(List<String> tokens, String origin) {
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.isEmpty()) {
                throw new IllegalArgumentException(origin + ":" + (i + 1) + ": empty token");
            }
            Integer earlier = ids.putIfAbsent(token, i);
            if (earlier != null) {
                throw new IllegalArgumentException(origin + ":" + (i + 1) + ": duplicate token '" + token
                        + "' (first on line " + (earlier + 1) + ")");
            }
        }
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException(origin + ": vocabulary is empty");
        }
        this.padId = require(PAD, origin);
        this.unkId = require(UNK, origin);
        this.clsId = require(CLS, origin);
        this.sepId = require(SEP, origin);
        this.maskId = require(MASK, origin);
        this.special = new boolean[tokens.size()];
        for (String s : SPECIAL_TOKENS) {
            special[ids.get(s)] = true;
        }
    }

    /** Special tokens at ids 0..4 followed by {@code tokens} (which must not repeat them). */
    public static Vocabulary withSpecialTokens(List<String> tokens) {
        List<String> all = new ArrayList<>(SPECIAL_TOKENS);
        all.addAll(tokens);
        return new Vocabulary(all, "vocabulary");
    }

    private int require(String token, String origin) {
        Integer id = ids.get(token);
        if (id == null) {
            throw new IllegalArgumentException(origin + ": special token " + token + " is missing (needed: "
                    + String.join(" ", SPECIAL_TOKENS) + ")");
        }
        return id;
    }

    /** Reads a {@code vocab.txt} (UTF-8, one token per line) from any Hadoop file system. */
    public static Vocabulary load(String path, Configuration conf) {
        return parse(AtomicFiles.read(path, conf), path);
    }

    /** Parses {@code vocab.txt} content; {@code origin} names the file in error messages. */
    public static Vocabulary parse(byte[] content, String origin) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(origin + ": not valid UTF-8", e);
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException(origin + ": vocabulary file is empty");
        }
        List<String> tokens = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            tokens.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        if (tokens.get(tokens.size() - 1).isEmpty()) {
            tokens.remove(tokens.size() - 1); // the final newline
        }
        return new Vocabulary(tokens, origin);
    }

    /** Writes {@code vocab.txt} atomically. */
    public void save(String path, Configuration conf) {
        AtomicFiles.writeText(path, String.join("\n", tokens) + "\n", conf);
    }

    public int size() {
        return tokens.size();
    }

    /** The id of {@code token}, or -1. */
    public int id(String token) {
        return ids.getOrDefault(token, -1);
    }

    /** The id of {@code token}, or the [UNK] id. */
    public int idOrUnk(String token) {
        return ids.getOrDefault(token, unkId);
    }

    public boolean contains(String token) {
        return ids.containsKey(token);
    }

    public String token(int id) {
        return tokens.get(id);
    }

    public List<String> tokens() {
        return tokens;
    }

    public int padId() {
        return padId;
    }

    public int unkId() {
        return unkId;
    }

    public int clsId() {
        return clsId;
    }

    public int sepId() {
        return sepId;
    }

    public int maskId() {
        return maskId;
    }

    /** True for the five special tokens. */
    public boolean isSpecial(int id) {
        return special[id];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && tokens.equals(v.tokens);
    }

    @Override
    public int hashCode() {
        return tokens.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + tokens.size() + " tokens]";
    }
}
