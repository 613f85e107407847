/**
 * Weight files. {@link dev.unfold.runtime.io.SafeTensors} reads and writes the safetensors format
 * of PyTorch and Hugging Face, checking a file whole before it returns anything;
 * {@link dev.unfold.runtime.io.AtomicFile} writes a file to a temporary name and renames it, so it
 * is whole or absent. {@link dev.unfold.runtime.Parameters#save} and
 * {@link dev.unfold.runtime.Parameters#load} use both.
 *
 * <p>Loading takes the network's own names or PyTorch's. A PyTorch module whose attributes are
 * named like the layer methods, each an {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU} with one
 * layer, plus an {@code nn.Linear} named {@code out}, saves:
 * <pre>
 * rnn.weight_ih_l0[_reverse]   → rnn.weight_ih[_reverse], and the context's rnn.weight_context
 *                                from its columns after the input's (the module reads [x_t ; x])
 * rnn.weight_hh_l0[_reverse]   → rnn.weight_hh[_reverse]
 * rnn.weight_hr_l0[_reverse]   → rnn.weight_hr[_reverse]   (an LSTM with proj_size)
 * rnn.bias_ih_l0 + rnn.bias_hh_l0 → rnn.bias            (summed: one bias)
 * GRU: bias rows of r and z summed, the n rows from bias_ih alone; bias_hn = the n rows of bias_hh
 * rnn.bias_ih_l0, rnn.bias_hh_l0 → rnn.bias_ih, rnn.bias_hh (a layer declared with two biases)
 * out.weight, out.bias         → the same names
 * </pre>
 * {@link dev.unfold.runtime.Parameters#savePyTorch} writes the same names the other way, one bias
 * as bias_ih = b and bias_hh = 0, for {@code load_state_dict(..., strict=True)}.
 *
 * <p>F32 and F64 tensors load into networks of either precision: F32 into float64 widened exactly, F64
 * into float32 rounded to nearest ({@link dev.unfold.runtime.Parameters#load} says more);
 * {@link dev.unfold.runtime.Parameters#save} writes each tensor in its parameter's precision.
 */
package dev.unfold.runtime.io;
