package dev.unfold.runtime.internal;

import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.io.SafeTensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a parameter's values are in a PyTorch state_dict, both ways. A PyTorch module whose
 * attributes are named like the layer methods, each an {@code nn.RNN}, {@code nn.LSTM} or
 * {@code nn.GRU} with one layer, plus an {@code nn.Linear} named {@code out}, saves:
 * <pre>
 * rnn.weight_ih_l0[_reverse]   ↔ rnn.weight_ih[_reverse], with the first layer's context weights R
 *                                (rnn.weight_context) and fed-back output's W_oh (rnn.weight_oh)
 *                                joined as its next columns: the module reads [x_t ; x ; y_{t−1}]
 * rnn.weight_hh_l0[_reverse]   ↔ rnn.weight_hh[_reverse]
 * rnn.weight_hr_l0[_reverse]   ↔ rnn.weight_hr[_reverse]   (an LSTM with proj_size)
 * rnn.bias_ih_l0 + rnn.bias_hh_l0 → rnn.bias            (one bias: summed, equations.md (1.1))
 *     GRU: the rows of r and z summed, the n rows from bias_ih alone; bias_hn = the n rows of bias_hh
 * rnn.bias_ih_l0, rnn.bias_hh_l0 ↔ rnn.bias_ih, rnn.bias_hh (a layer declared with two biases)
 * out.weight, out.bias         ↔ the same names
 * </pre>
 * Saving for PyTorch writes one bias as bias_ih = b and bias_hh = 0 (a GRU's n rows: b_hn). A layer
 * is a GRU exactly when the network has a {@code bias_hn} for it, so the mapping needs nothing but
 * the network's own parameters.
 */
final class PyTorchNames {
    /** The output projection's prefix: its tensors have the same names in both. */
    private static final String OUTPUT = "out.";

    private PyTorchNames() {}

    /**
     * The values of {@code parameter} assembled from PyTorch's tensors, recording which tensors it
     * used; null when the parameter's name has no PyTorch counterpart or the tensors are absent.
     */
    static double[] assemble(Parameter parameter, Parameters parameters, Map<String, SafeTensors.Tensor> tensors,
                             Set<String> used) {
        Name name = Name.parse(parameter.name());
        if (name == null) {
            return null;
        }
        switch (name.kind()) {
            case "weight_ih", "weight_context", "weight_oh" -> {
                return joinedColumns(parameter, name, parameters, tensors, used);
            }
            case "weight_hh", "weight_hr", "bias_ih", "bias_hh" -> {
                return take(parameter, name.pytorch(name.kind()), tensors, used);
            }
            case "bias" -> {
                double[] input = take(parameter, name.pytorch("bias_ih"), tensors, null);
                double[] hidden = take(parameter, name.pytorch("bias_hh"), tensors, null);
                if (input == null || hidden == null) {
                    return null;
                }
                boolean gru = parameters.contains(name.sibling("bias_hn"));
                int summed = gru ? input.length * 2 / 3 : input.length; // a GRU's n rows cannot merge
                double[] bias = input.clone();
                for (int i = 0; i < summed; i++) {
                    if (hidden[i] != 0) {
                        bias[i] += hidden[i]; // adding a zero is skipped: b + 0 would turn a −0 bias into +0
                    }
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
            case "weight_ih", "weight_hh", "weight_hr", "bias_ih", "bias_hh" -> List.of(name.pytorch(name.kind()));
            case "weight_context", "weight_oh" -> List.of(name.pytorch("weight_ih") + "'s columns after x_t's");
            case "bias" -> List.of(name.pytorch("bias_ih"), name.pytorch("bias_hh"));
            case "bias_hn" -> List.of(name.pytorch("bias_hh"));
            default -> List.of();
        };
    }

    /**
     * The state_dict of the PyTorch module the class comment describes, in the parameters' own
     * precision, layer by layer in the parameters' order. A layer without W_hh (one declared with
     * {@code recurrence = OUTPUT}) has no such module and is refused, before anything is built.
     */
    static Map<String, SafeTensors.Tensor> export(Parameters parameters) {
        for (Parameter parameter : parameters) {
            Name name = Name.parse(parameter.name());
            if (name != null && name.kind().equals("weight_ih") && !parameters.contains(name.sibling("weight_hh"))) {
                throw new IllegalArgumentException(name.layer() + " has no " + name.sibling("weight_hh")
                        + " (it reads the previous output instead of h_{t−1}), but PyTorch's nn.RNN, nn.LSTM and nn.GRU"
                        + " always read h_{t−1}: no PyTorch module of that form holds this network; save it with save");
            }
        }
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            Name name = Name.parse(parameter.name());
            String kind = name == null ? "" : name.kind();
            switch (kind) {
                case "weight_ih" -> {
                    List<Parameter> parts = inputParts(name, parameters, null);
                    int rows = parameter.shape()[0];
                    int columns = parts.stream().mapToInt(part -> part.shape()[1]).sum();
                    double[] joined = new double[rows * columns];
                    int offset = 0;
                    for (Parameter part : parts) {
                        int width = part.shape()[1];
                        for (int r = 0; r < rows; r++) {
                            for (int c = 0; c < width; c++) {
                                joined[r * columns + offset + c] = part.value(r * width + c);
                            }
                        }
                        offset += width;
                    }
                    put(tensors, name.pytorch("weight_ih"), new long[] {rows, columns}, joined, parameter);
                }
                case "weight_context", "weight_oh", "bias_hn" -> {
                    // joined into weight_ih's columns, or bias_hh's n rows, where their layer's W_ih or b is written
                }
                case "weight_hh", "weight_hr", "bias_ih", "bias_hh" ->
                        put(tensors, name.pytorch(kind), shape(parameter), values(parameter), parameter);
                case "bias" -> {
                    double[] hidden = new double[parameter.size()]; // PyTorch's second bias: 0, its sum is b
                    String hn = name.sibling("bias_hn");
                    if (parameters.contains(hn)) {
                        double[] n = values(parameters.get(hn));
                        System.arraycopy(n, 0, hidden, hidden.length - n.length, n.length);
                    }
                    put(tensors, name.pytorch("bias_ih"), shape(parameter), values(parameter), parameter);
                    put(tensors, name.pytorch("bias_hh"), shape(parameter), hidden, parameter);
                }
                default -> put(tensors, parameter.name(), shape(parameter), values(parameter), parameter);
            }
        }
        return tensors;
    }

    /**
     * The parameters whose columns side by side make PyTorch's weight_ih of {@code name}'s layer and
     * direction: W_ih, then R (a context) and W_oh (a fed-back output) where the network has them
     * and, when reading ({@code tensors} not null), the file does not hold them under their own names.
     */
    private static List<Parameter> inputParts(Name name, Parameters parameters, Map<String, SafeTensors.Tensor> tensors) {
        List<Parameter> parts = new ArrayList<>();
        for (String kind : List.of("weight_ih", "weight_context", "weight_oh")) {
            String part = name.sibling(kind);
            if (parameters.contains(part) && (kind.equals("weight_ih") || tensors == null || !tensors.containsKey(part))) {
                parts.add(parameters.get(part));
            }
        }
        return parts;
    }

    /** {@code parameter}'s columns of PyTorch's weight_ih, which may hold R's and W_oh's after W_ih's. */
    private static double[] joinedColumns(Parameter parameter, Name name, Parameters parameters,
                                          Map<String, SafeTensors.Tensor> tensors, Set<String> used) {
        String source = name.pytorch("weight_ih");
        SafeTensors.Tensor tensor = tensors.get(source);
        if (tensor == null || !parameters.contains(name.sibling("weight_ih"))) {
            return null;
        }
        List<Parameter> parts = inputParts(name, parameters, tensors);
        if (parts.size() == 1) {
            return take(parameter, source, tensors, used);
        }
        int rows = parameter.shape()[0];
        int columns = parts.stream().mapToInt(part -> part.shape()[1]).sum();
        if (!Arrays.equals(tensor.shape(), new long[] {rows, columns})) {
            throw new IllegalArgumentException("tensor " + source + " has shape " + tensor.shapeText() + ", but "
                    + String.join(" and ", parts.stream().map(Parameter::name).toList())
                    + " side by side, as PyTorch's module reads [x_t ; " + (parts.size() == 3 ? "x ; y_{t−1}"
                    : parts.get(1).name().equals(name.sibling("weight_context")) ? "x" : "y_{t−1}")
                    + "], need [" + rows + ", " + columns + "]");
        }
        int offset = 0;
        for (Parameter part : parts) {
            if (part == parameter || part.name().equals(parameter.name())) {
                break;
            }
            offset += part.shape()[1];
        }
        int width = parameter.shape()[1];
        double[] values = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(tensor.values(), r * columns + offset, values, r * width, width);
        }
        used.add(source);
        return values;
    }

    private static void put(Map<String, SafeTensors.Tensor> tensors, String name, long[] shape, double[] values,
                            Parameter like) {
        tensors.put(name, new SafeTensors.Tensor(shape, values, like.precision()));
    }

    private static long[] shape(Parameter parameter) {
        return Arrays.stream(parameter.shape()).asLongStream().toArray();
    }

    /** The values, a float32 parameter's widened exactly (written back as the same floats). */
    private static double[] values(Parameter parameter) {
        double[] values = new double[parameter.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = parameter.value(i);
        }
        return values;
    }

    /**
     * An Unfold parameter name taken apart: {@code rnn.bias_reverse} is layer {@code rnn}, kind
     * {@code bias}, suffix {@code _reverse}.
     */
    private record Name(String layer, String kind, String suffix) {

        /**
         * The parts of {@code name}, or null when it has no layer prefix or is the output projection's
         * (whose names, out.weight and out.bias, are PyTorch's nn.Linear's already).
         */
        static Name parse(String name) {
            int dot = name.lastIndexOf('.');
            if (dot < 0 || name.startsWith(OUTPUT)) {
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

    /** The tensor's values if it exists with the parameter's shape. */
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
