package dev.unfold.runtime;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a parameter's values come from in a PyTorch state_dict. A PyTorch module whose attributes
 * are named like the layer methods, each an {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU} with
 * one layer, plus an {@code nn.Linear} named {@code out}, saves:
 * <pre>
 * rnn.weight_ih_l0[_reverse]   → rnn.weight_ih[_reverse]
 * rnn.weight_hh_l0[_reverse]   → rnn.weight_hh[_reverse]
 * rnn.bias_ih_l0 + rnn.bias_hh_l0 → rnn.bias            (summed: the seeds' single bias)
 * GRU: bias rows of r and z summed, the n rows from bias_ih alone; bias_hn = the n rows of bias_hh
 * out.weight, out.bias         → the same names
 * </pre>
 * A layer is a GRU exactly when the network has a {@code bias_hn} for it, so the mapping needs
 * nothing but the network's own parameter names.
 */
final class PyTorchNames {
    private PyTorchNames() {}

    /**
     * The values of {@code parameter} assembled from PyTorch's tensors, recording which tensors it
     * used; null when the parameter's name has no PyTorch counterpart or the tensors are absent.
     */
    static double[] assemble(Parameter parameter, Set<String> networkNames, Map<String, SafeTensors.Tensor> tensors,
                             Set<String> used) {
        String name = parameter.name();
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String layer = name.substring(0, dot);
        String field = name.substring(dot + 1);
        String suffix = field.endsWith("_reverse") ? "_reverse" : "";
        String kind = field.substring(0, field.length() - suffix.length());
        String prefix = layer + ".";
        switch (kind) {
            case "weight_ih", "weight_hh" -> {
                return take(parameter, prefix + kind + "_l0" + suffix, tensors, used);
            }
            case "bias" -> {
                double[] input = take(parameter, prefix + "bias_ih_l0" + suffix, tensors, null);
                double[] hidden = take(parameter, prefix + "bias_hh_l0" + suffix, tensors, null);
                if (input == null || hidden == null) {
                    return null;
                }
                boolean gru = networkNames.contains(prefix + "bias_hn" + suffix);
                int summed = gru ? input.length * 2 / 3 : input.length; // a GRU's n rows cannot merge
                double[] bias = input.clone();
                for (int i = 0; i < summed; i++) {
                    bias[i] += hidden[i];
                }
                used.add(prefix + "bias_ih_l0" + suffix);
                used.add(prefix + "bias_hh_l0" + suffix);
                return bias;
            }
            case "bias_hn" -> {
                String source = prefix + "bias_hh_l0" + suffix;
                SafeTensors.Tensor hidden = tensors.get(source);
                int size = parameter.size();
                if (hidden == null) {
                    return null;
                }
                if (hidden.shape().length != 1 || hidden.shape()[0] != 3L * size) {
                    throw new IllegalArgumentException("tensor " + source + " has shape " + hidden.shapeText() + ", but "
                            + name + " takes the n rows of a GRU bias of shape [" + 3 * size + "]");
                }
                used.add(source);
                double[] values = new double[size];
                System.arraycopy(hidden.values(), 2 * size, values, 0, size);
                return values;
            }
            default -> {
                return null;
            }
        }
    }

    /** PyTorch's names for {@code parameter}, for messages. */
    static List<String> sourcesOf(String name) {
        int dot = name.lastIndexOf('.');
        String layer = name.substring(0, dot + 1);
        String field = name.substring(dot + 1);
        String suffix = field.endsWith("_reverse") ? "_reverse" : "";
        String kind = field.substring(0, field.length() - suffix.length());
        return switch (kind) {
            case "weight_ih", "weight_hh" -> List.of(layer + kind + "_l0" + suffix);
            case "bias" -> List.of(layer + "bias_ih_l0" + suffix, layer + "bias_hh_l0" + suffix);
            case "bias_hn" -> List.of(layer + "bias_hh_l0" + suffix);
            default -> List.of();
        };
    }

    /** The tensor's values if it exists with the parameter's shape (a bias's rows for a GRU's bias_hh). */
    private static double[] take(Parameter parameter, String source, Map<String, SafeTensors.Tensor> tensors,
                                 Set<String> used) {
        SafeTensors.Tensor tensor = tensors.get(source);
        if (tensor == null) {
            return null;
        }
        ParameterShapes.require(parameter, source, tensor);
        if (used != null) {
            used.add(source);
        }
        return tensor.values();
    }
}
