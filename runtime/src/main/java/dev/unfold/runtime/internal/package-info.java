/**
 * Not API: what generated code calls, and what the runtime's own packages share. The kernels of a
 * forward and backward pass ({@link dev.unfold.runtime.internal.Kernels},
 * {@link dev.unfold.runtime.internal.BatchKernels} and its implementations,
 * {@link dev.unfold.runtime.internal.Activations}), the argument checks of every public entry point
 * ({@link dev.unfold.runtime.internal.Checks}, {@link dev.unfold.runtime.internal.Batches}), weight
 * initialisation ({@link dev.unfold.runtime.internal.WeightInit}), the record of a traced backward
 * pass ({@link dev.unfold.runtime.internal.StateGradientTrace}), and the pieces several packages
 * use: parameters as tensors, a shuffled order of updates, a little JSON.
 *
 * <p>The types here are public only because generated classes, which live in the user's packages,
 * and the runtime's other packages call them. They may change in any release without notice,
 * together with the processor that generates the calls to them: do not use them from your own
 * code.
 */
package dev.unfold.runtime.internal;
