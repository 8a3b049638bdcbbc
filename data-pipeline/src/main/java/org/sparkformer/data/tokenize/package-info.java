/**
 * Text to token ids as BERT does it: {@link org.sparkformer.data.tokenize.BasicTokenizer} (cleaning, lower-casing,
 * accent stripping, punctuation and CJK splitting), {@link org.sparkformer.data.tokenize.WordPieceTokenizer}
 * (greedy longest-match-first sub-words with {@code ##} continuations) and {@link
 * org.sparkformer.data.tokenize.BertTokenizer} combining them over a {@link
 * org.sparkformer.data.tokenize.Vocabulary} ({@code vocab.txt}, one token per line). {@link
 * org.sparkformer.data.tokenize.VocabularyTrainer} learns a sub-word vocabulary of a given size from a corpus, counting
 * words on the executors and merging sub-words on the driver, deterministically.
 */
package org.sparkformer.data.tokenize;
