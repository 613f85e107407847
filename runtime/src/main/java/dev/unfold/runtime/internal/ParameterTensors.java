package dev.unfold.runtime.internal;

import dev.unfold.Precision;
import dev.unfold.runtime.Parameter;
import dev.unfold.runtime.Parameters;
import dev.unfold.runtime.io.SafeTensors;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Parameters as the tensors of a weight file and back: what {@link Parameters#save} and
 * {@link Parameters#load} do, in two halves that a training checkpoint also uses, so that it can
 * check its optimizer's state before it changes any weight. Names are the network's own or
 * PyTorch's ({@link PyTorchNames}); shapes are PyTorch's ({@link ParameterShapes}).
 *
 * <p>Precision: each parameter becomes a tensor of its own precision (F32 for a float32 parameter,
 * F64 for a float64 one). Either dtype loads into either precision: an F32 value into a float64
 * parameter is widened exactly; an F64 value into a float32 parameter is rounded to nearest (ties to
 * even), {@code (float) value}, once, after PyTorch's biases are summed. A finite F64 value beyond
 * float32's range, which would round to infinity, is refused.
 */
public final class ParameterTensors {
    private ParameterTensors() {}

    /** Copies of the values as tensors of PyTorch's shapes, by name, in order. */
    public static Map<String, SafeTensors.Tensor> of(Parameters parameters) {
        Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
        for (Parameter parameter : parameters) {
            long[] shape = Arrays.stream(parameter.shape()).asLongStream().toArray();
            double[] values = new double[parameter.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = parameter.value(i); // a float32 value widened exactly, written back as the same float
            }
            tensors.put(parameter.name(), new SafeTensors.Tensor(shape, values, parameter.precision()));
        }
        return tensors;
    }

    /**
     * Copies of the values as the state_dict of the PyTorch module {@link PyTorchNames} describes: its
     * names and shapes, PyTorch's two biases, context weights joined into weight_ih; each tensor in its
     * parameter's precision. A network no such module holds (a layer without W_hh) is an
     * {@link IllegalArgumentException}.
     */
    public static Map<String, SafeTensors.Tensor> pytorch(Parameters parameters) {
        return PyTorchNames.export(parameters);
    }

    /**
     * The values {@code tensors} hold for {@code parameters}, indexed like them, checked and not yet
     * set: the first half of {@link Parameters#load}, for a caller that checks more before it changes
     * anything. {@code source} names where the tensors came from in errors. A missing tensor, a
     * tensor of the wrong shape, or a tensor the network has no place for is an
     * {@link IllegalArgumentException}.
     */
    public static double[][] fitting(Parameters parameters, Map<String, SafeTensors.Tensor> tensors, String source) {
        Set<String> names = new LinkedHashSet<>(parameters.names());
        Set<String> used = new HashSet<>();
        double[][] values = new double[parameters.size()][];
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            SafeTensors.Tensor own = tensors.get(parameter.name());
            if (own != null) {
                ParameterShapes.require(parameter, parameter.name(), own);
                used.add(parameter.name());
                values[p] = own.values();
            } else {
                values[p] = PyTorchNames.assemble(parameter, parameters, tensors, used);
            }
            if (values[p] == null) {
                List<String> pytorch = PyTorchNames.sourcesOf(parameter.name());
                throw new IllegalArgumentException(source + " has no tensor " + parameter.name()
                        + (pytorch.isEmpty() ? "" : " (nor PyTorch's " + String.join(" and ", pytorch) + ")"));
            }
            if (parameter.precision() == Precision.FLOAT32) {
                requireFloatRange(parameter, values[p], source);
            }
        }
        Set<String> unused = new TreeSet<>(tensors.keySet());
        unused.removeAll(used);
        if (!unused.isEmpty()) {
            throw new IllegalArgumentException(source + " has tensors this network has no place for: " + unused
                    + "; its parameters are " + names);
        }
        return values;
    }

    /**
     * Refuses a finite value that a float32 parameter cannot hold: rounded to nearest it would become
     * an infinity the file did not have. (NaN and the infinities themselves load as they are, in either
     * precision.)
     */
    private static void requireFloatRange(Parameter parameter, double[] values, String source) {
        for (int i = 0; i < values.length; i++) {
            if (Double.isFinite(values[i]) && Float.isInfinite((float) values[i])) {
                throw new IllegalArgumentException(source + "'s value " + values[i] + " for " + parameter.name() + "["
                        + i + "] is beyond float32's range (±" + Float.MAX_VALUE + "): the float32 parameter cannot"
                        + " hold it");
            }
        }
    }

    /**
     * Copies {@code values}, as {@link #fitting} returned them, into {@code parameters}: exactly into a
     * float64 parameter, rounded to nearest into a float32 one.
     */
    public static void set(Parameters parameters, double[][] values) {
        for (int p = 0; p < parameters.size(); p++) {
            Parameter parameter = parameters.get(p);
            for (int i = 0; i < values[p].length; i++) {
                parameter.setValue(i, values[p][i]);
            }
        }
    }
}
