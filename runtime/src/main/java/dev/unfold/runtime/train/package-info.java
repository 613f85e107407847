/**
 * Training: the loop ({@link dev.unfold.runtime.train.Trainer}) over
 * {@link dev.unfold.runtime.train.TrainingData}, what it reports to its listeners
 * ({@link dev.unfold.runtime.train.TrainingListener}, {@link dev.unfold.runtime.train.EpochReport},
 * the progress bar {@link dev.unfold.runtime.train.ConsoleProgress}), how it ends
 * ({@link dev.unfold.runtime.train.TrainingResult},
 * {@link dev.unfold.runtime.train.TrainingDivergedException}), the
 * {@link dev.unfold.runtime.train.Checkpoint} a run resumes from bit for bit, and truncated BPTT
 * over a long stream ({@link dev.unfold.runtime.train.TruncatedBptt}).
 */
package dev.unfold.runtime.train;
