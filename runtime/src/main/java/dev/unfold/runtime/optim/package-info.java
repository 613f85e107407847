/**
 * Optimisation: the optimizers, each bound to the parameters it updates as PyTorch's are
 * ({@link dev.unfold.runtime.optim.Sgd}, {@link dev.unfold.runtime.optim.Adagrad},
 * {@link dev.unfold.runtime.optim.RmsProp}, {@link dev.unfold.runtime.optim.Adam},
 * {@link dev.unfold.runtime.optim.AdamW}), the learning-rate schedules that set their rate
 * ({@link dev.unfold.runtime.optim.LearningRateSchedule}), gradient
 * {@link dev.unfold.runtime.optim.Clipping}, and the L1 and L2
 * {@link dev.unfold.runtime.optim.Penalty}. Each is checked step by step against {@code torch.optim}.
 */
package dev.unfold.runtime.optim;
