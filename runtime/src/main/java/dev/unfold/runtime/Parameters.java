package dev.unfold.runtime;

import dev.unfold.Precision;
import dev.unfold.runtime.internal.Checks;
import dev.unfold.runtime.internal.ParameterTensors;
import dev.unfold.runtime.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A network's parameters by name, in a fixed order (layers in declaration order, then the output). */
public final class Parameters implements Iterable<Parameter> {
    private final List<Parameter> ordered;
    private final Map<String, Parameter> byName;

    public Parameters(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        for (int p = 0; p < parameters.size(); p++) {
            if (parameters.get(p) == null) {
                throw new IllegalArgumentException("parameters[" + p + "] is null");
            }
        }
        this.ordered = List.copyOf(parameters);
        Map<String, Parameter> names = new LinkedHashMap<>();
        for (Parameter parameter : ordered) {
            if (names.put(parameter.name(), parameter) != null) {
                throw new IllegalArgumentException("two parameters are named " + parameter.name());
            }
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    /** The parameter called {@code name}; an {@link IllegalArgumentException} listing the names if none is. */
    public Parameter get(String name) {
        Objects.requireNonNull(name, "name");
        Parameter parameter = byName.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; the names are " + byName.keySet());
        }
        return parameter;
    }

    /** Whether a parameter is called {@code name}. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The parameter at {@code index} in the fixed order; indexed loops allocate no iterator. */
    public Parameter get(int index) {
        return ordered.get(Checks.index("index", index, ordered.size(), "the parameters, in order"));
    }

    /** Sets every gradient to zero, as before accumulating the next batch. Allocates nothing. */
    public void zeroGradients() {
        for (int p = 0, n = ordered.size(); p < n; p++) {
            Parameter parameter = ordered.get(p);
            if (parameter.precision() == Precision.FLOAT64) {
                Arrays.fill(parameter.gradient().data, 0, parameter.size(), 0.0);
            } else {
                Arrays.fill(parameter.floatGradient().data, 0, parameter.size(), 0f);
            }
        }
    }

    /** Multiplies every gradient by {@code scale}, as averaging and clipping do. Allocates nothing. */
    public void scaleGradients(double scale) {
        Checks.finite("scale", scale);
        for (int p = 0, n = ordered.size(); p < n; p++) {
            Parameter parameter = ordered.get(p);
            for (int i = 0, size = parameter.size(); i < size; i++) {
                parameter.setGradient(i, parameter.gradient(i) * scale);
            }
        }
    }

    /** The parameters whose names start with {@code prefix}, sharing their matrices with these. */
    public Parameters withPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        List<Parameter> selected = new ArrayList<>();
        for (Parameter parameter : ordered) {
            if (parameter.name().startsWith(prefix)) {
                selected.add(parameter);
            }
        }
        return new Parameters(selected);
    }

    /**
     * Writes the values to a safetensors file under these names, biases as PyTorch's 1-D tensors,
     * each tensor in its parameter's precision: F32 for a float32 parameter, F64 for a float64 one.
     * The file is written to a temporary name and renamed, so it is whole or absent.
     */
    public void save(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, String> metadata = new LinkedHashMap<>(); // ordered: the same values give the same bytes
        metadata.put("format", "pt");
        metadata.put("producer", "Unfold");
        SafeTensors.write(file, ParameterTensors.of(this), metadata);
    }

    /**
     * Writes the values as the state_dict of the PyTorch module docs/weights-and-pytorch.md describes,
     * which {@code module.load_state_dict(safetensors.torch.load_file(path), strict=True)} accepts:
     * one {@code nn.RNN}, {@code nn.LSTM} or {@code nn.GRU} per layer, named like the layer method,
     * with {@code num_layers=1}, {@code batch_first=True} and {@code bidirectional} as declared, plus
     * an {@code nn.Linear} named {@code out}. PyTorch's names ({@code weight_ih_l0},
     * {@code _reverse}); one bias as {@code bias_ih} = b and {@code bias_hh} = 0, a GRU's
     * {@code bias_hn} in the n rows of {@code bias_hh}; a projecting LSTM's {@code weight_hr_l0};
     * the first layer's context weights R (and a fed-back output's W_oh) joined into
     * {@code weight_ih} as the columns after x_t's, for a module that reads [x_t ; x]. Each tensor is
     * in the network's precision (F32 for a float32 network). {@link #load} reads the file back to the
     * same values, bit for bit. Written atomically, as {@link #save} writes.
     *
     * @throws IllegalArgumentException if no such module holds the network: a layer declared with
     *     {@code recurrence = OUTPUT} has no W_hh, which PyTorch's modules always have (nothing is written)
     * @throws IOException if the file cannot be written
     */
    public void savePyTorch(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Map<String, SafeTensors.Tensor> tensors = ParameterTensors.pytorch(this);
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("producer", "Unfold");
        SafeTensors.write(file, tensors, metadata);
    }

    /**
     * Reads every value from a safetensors file written by {@link #save} or by PyTorch (the package
     * {@link dev.unfold.runtime.io} lists the PyTorch names it accepts). All or nothing: a missing
     * tensor, a tensor of the wrong shape, a tensor the network has no place for, or a corrupt file is
     * an error, and the values are left as they were.
     *
     * <p>F32 and F64 tensors load into parameters of either precision. An F32 value loaded into a
     * float64 parameter is widened, exactly. An F64 value loaded into a float32 parameter is rounded to
     * nearest, {@code (float) value}, as PyTorch's {@code tensor.float()} rounds it; a finite F64 value
     * beyond float32's range (it would round to infinity) is an error. So a float32 network loads the
     * weights of a float64 one, and the reverse, with nothing lost but what float32 cannot hold.
     *
     * @throws IOException if the file cannot be read or is not a valid safetensors file
     * @throws IllegalArgumentException if its tensors do not fit these parameters
     */
    public void load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        ParameterTensors.set(this, ParameterTensors.fitting(this, SafeTensors.read(file), file.toString()));
    }

    /** Number of tensors. */
    public int size() {
        return ordered.size();
    }

    /** Number of scalars over all tensors. */
    public int count() {
        int count = 0;
        for (Parameter parameter : ordered) {
            count += parameter.size();
        }
        return count;
    }

    /** The names, in order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @Override
    public Iterator<Parameter> iterator() {
        return ordered.iterator();
    }

    @Override
    public String toString() {
        return ordered.toString();
    }
}
