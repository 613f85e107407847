/**
 * What a user starts from. A network is an interface annotated {@code @Network} that extends
 * {@link dev.unfold.runtime.SequenceModel} and declares its layers as methods returning
 * {@link dev.unfold.runtime.Layer}; the annotation processor generates its implementation. Its
 * weights and their gradients are {@link dev.unfold.runtime.Parameters}, named
 * {@link dev.unfold.runtime.Parameter}s with PyTorch's names and shapes.
 *
 * <p>Around this API, by task: {@link dev.unfold.runtime.optim} (optimizers, learning-rate
 * schedules, clipping, penalties), {@link dev.unfold.runtime.train} (the training loop, its
 * listeners and checkpoints), {@link dev.unfold.runtime.data} (what a network trains on),
 * {@link dev.unfold.runtime.seq2seq} (generation, encoders and decoders), {@link dev.unfold.runtime.io}
 * (weight files) and {@link dev.unfold.runtime.diagnostics} (what the gradient does).
 * {@link dev.unfold.runtime.internal} is what generated code calls, and not API.
 */
package dev.unfold.runtime;
