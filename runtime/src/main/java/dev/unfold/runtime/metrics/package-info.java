/**
 * What a trained network predicts and how good that is: the class of each step or sequence
 * ({@link dev.unfold.runtime.metrics.Predictor}), the metrics of a classifier over
 * {@link dev.unfold.runtime.data.Minibatches} (accuracy, per-class precision, recall and F1, their
 * macro averages and the confusion matrix: {@link dev.unfold.runtime.metrics.Classification}), of a
 * regression (MSE and MAE: {@link dev.unfold.runtime.metrics.Regression}), and the
 * {@link dev.unfold.runtime.metrics.Metric} a {@link dev.unfold.runtime.train.Trainer} validates on,
 * perplexity among them. Each metric is defined in equations.md section 17.
 */
package dev.unfold.runtime.metrics;
