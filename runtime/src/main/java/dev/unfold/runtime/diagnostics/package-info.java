/**
 * What the gradient does in a network: {@link dev.unfold.runtime.diagnostics.GradientReport}, the
 * norms ‖∂L/∂h_k‖ of one traced backward pass by distance, with each recurrent matrix's
 * {@link dev.unfold.runtime.diagnostics.SpectralCheck} and an LSTM's forget gates; and
 * {@link dev.unfold.runtime.diagnostics.GradientMonitor}, a training listener that records each
 * parameter's gradient norm per epoch.
 */
package dev.unfold.runtime.diagnostics;
