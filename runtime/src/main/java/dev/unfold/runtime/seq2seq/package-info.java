/**
 * Sequence to sequence and generation: an {@link dev.unfold.runtime.seq2seq.EncoderDecoder} joins
 * an encoder to one or more decoders that start from its final state and trains them end to end
 * on {@link dev.unfold.runtime.seq2seq.SequencePairs}; a {@link dev.unfold.runtime.seq2seq.Generator}
 * writes token sequences with a streaming network, greedily, by sampling, or by beam search.
 */
package dev.unfold.runtime.seq2seq;
