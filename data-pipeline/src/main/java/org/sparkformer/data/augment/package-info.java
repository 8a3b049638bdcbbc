/**
 * Easy data augmentation (EDA) of labelled training text: random deletion, random swap, random insertion and synonym
 * replacement (synonyms from a WordNet dictionary directory), each with its own rate, a set number of copies per
 * example, every choice seeded from (job seed, example, copy). Off by default, and only a {@link
 * org.sparkformer.data.source.TrainingSplit} can be augmented, so augmented rows never reach validation or test data.
 */
package org.sparkformer.data.augment;
