/**
 * What a network trains on. {@link dev.unfold.runtime.train.TrainingData} for the trainer: whole
 * sequences in shuffled, masked minibatches ({@link dev.unfold.runtime.data.Minibatches}), one long
 * stream in chunks ({@link dev.unfold.runtime.data.StreamChunks}), sequences that each read a
 * context vector ({@link dev.unfold.runtime.data.ContextSequences}). And the helpers that make the
 * arrays: sliding {@link dev.unfold.runtime.data.Windows} over a series, a
 * {@link dev.unfold.runtime.data.Vocabulary} of characters or tokens, and a reproducible
 * {@link dev.unfold.runtime.data.Split} and {@link dev.unfold.runtime.data.Shuffle}.
 */
package dev.unfold.runtime.data;
