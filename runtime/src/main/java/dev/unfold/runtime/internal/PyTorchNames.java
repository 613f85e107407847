package dev.unfold.runtime.internal;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.io.SafeTensors;
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
 * rnn.weight_hr_l0[_reverse]   → rnn.weight_hr[_reverse]   (an LSTM with proj_size)
 * rnn.bias_ih_l0 + rnn.bias_hh_l0 → rnn.bias            (summed: one bias, equations.md (1.1))
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
        Name name = Name.parse(parameter.name());
        if (name == null) {
            return null;
        }
        switch (name.kind()) {
            case "weight_ih", "weight_hh", "weight_hr" -> {
                return take(parameter, name.pytorch(name.kind()), tensors, used);
            }
            case "bias" -> {
                double[] input = take(parameter, name.pytorch("bias_ih"), tensors, null);
                double[] hidden = take(parameter, name.pytorch("bias_hh"), tensors, null);
                if (input == null || hidden == null) {
                    return null;
                }
                boolean gru = networkNames.contains(name.sibling("bias_hn"));
                int summed = gru ? input.length * 2 / 3 : input.length; // a GRU's n rows cannot merge
                double[] bias = input.clone();
                for (int i = 0; i < summed; i++) {
                    bias[i] += hidden[i];
                }
                used.add(name.pytorch("bias_ih"));
                used.add(name.pytorch("bias_hh"));
                return bias;
            }
            case "bias_hn" -> {
                String source = name.pytorch("bias_hh");
                SafeTensors.Tensor hidden = tensors.get(source);
                int size = parameter.size();
                if (hidden == null) {
                    return null;
                }
                if (hidden.shape().length != 1 || hidden.shape()[0] != 3L * size) {
                    throw new IllegalArgumentException("tensor " + source + " has shape " + hidden.shapeText() + ", but "
                            + parameter.name() + " takes the n rows of a GRU bias of shape [" + 3 * size + "]");
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
    static List<String> sourcesOf(String parameterName) {
        Name name = Name.parse(parameterName);
        if (name == null) {
            return List.of();
        }
        return switch (name.kind()) {
            case "weight_ih", "weight_hh", "weight_hr" -> List.of(name.pytorch(name.kind()));
            case "bias" -> List.of(name.pytorch("bias_ih"), name.pytorch("bias_hh"));
            case "bias_hn" -> List.of(name.pytorch("bias_hh"));
            default -> List.of();
        };
    }

    /**
     * An Unfold parameter name taken apart: {@code rnn.bias_reverse} is layer {@code rnn}, kind
     * {@code bias}, suffix {@code _reverse}.
     */
    private record Name(String layer, String kind, String suffix) {

        /** The parts of {@code name}, or null when it has no layer prefix. */
        static Name parse(String name) {
            int dot = name.lastIndexOf('.');
            if (dot < 0) {
                return null;
            }
            String field = name.substring(dot + 1);
            String suffix = field.endsWith("_reverse") ? "_reverse" : "";
            return new Name(name.substring(0, dot), field.substring(0, field.length() - suffix.length()), suffix);
        }

        /** PyTorch's name for {@code kind} of this layer and direction: {@code rnn.bias_ih_l0_reverse}. */
        String pytorch(String pytorchKind) {
            return layer + "." + pytorchKind + "_l0" + suffix;
        }

        /** Unfold's name for another parameter of this layer and direction. */
        String sibling(String otherKind) {
            return layer + "." + otherKind + suffix;
        }
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
