package dev.unfold.processor.plan;

import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.processor.declaration.Capability;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * The computation a declaration describes, with every size fixed and every generated name chosen:
 * what the emitters turn into code. It holds no {@code javax.lang.model} types except the
 * originating element, which the emitters only pass on to the file they write.
 *
 * @param packageName package of the interface and of the generated class
 * @param interfaceNames simple names of the interface, outermost first
 * @param className the generated class's simple name, {@code Unfolded<Outer>_<Inner>}
 * @param scalar the type the network computes in and its public methods take
 * @param origin the interface, recorded as the generated file's originating element
 * @param capabilities what the interface extends beyond SequenceModel: the generated class
 *     implements these and no other
 * @param layers the recurrent layers, bottom first
 * @param output the output projection
 * @param parameters every parameter in its fixed order: layers first, then the output
 * @param parameterCount the scalars in all of them, as {@link ParameterCount} counts them
 * @param helpers the names of the generated private methods that take no arguments
 * @param batch the batched pass's network-wide buffers
 * @param savedState how a saved state lays out the carried states, and the constants naming its size
 *     and where each state starts
 */
public record NetworkPlan(
        String packageName,
        List<String> interfaceNames,
        String className,
        Scalar scalar,
        Element origin,
        int input,
        int context,
        Loss loss,
        Mapping mapping,
        Set<Capability> capabilities,
        List<LayerPlan> layers,
        OutputPlan output,
        List<ParameterPlan> parameters,
        long parameterCount,
        Helpers helpers,
        BatchPlan batch,
        SavedState savedState) {

    /**
     * The generated private methods that take no arguments. A layer's accessor takes none either,
     * so these are named after the accessors are, and never share a name with one.
     *
     * @param restoreCarriedState puts the carried states in row 0 of the layers' buffers
     * @param feedStep adds W_oh ŷ_{t−1} at the first step of a call
     * @param batchReserveInputs grows the batched pass's dense input rows
     * @param contextBiases computes the first layer's b + R x before a projection
     */
    public record Helpers(String restoreCarriedState, String feedStep, String batchReserveInputs,
                          String contextBiases) {}

    /** Whether the first layer reads the network's previous output (equations.md (8.1), (8.2)). */
    public boolean feedsBackOutput() {
        return layers.get(0).readsOutput();
    }

    /** Whether a batch runs one sequence after another: feeding the output back runs step by step. */
    public boolean runsOneSequenceAtATime() {
        return feedsBackOutput();
    }

    /** Whether the first layer reads a context vector at every step. */
    public boolean hasContext() {
        return context > 0;
    }

    /** Whether the interface extends {@code capability}, so that the generated class implements it. */
    public boolean has(Capability capability) {
        return capabilities.contains(capability);
    }

    /**
     * Whether the network carries state between calls: it declares {@code Streaming} (an
     * {@code Encoder}, {@code Decoder} or {@code Autoregressive} network does, as a subtype), which
     * the validator allows only where no layer runs backwards in time. Only such a network has the
     * carried states, the {@code stateful} flag and the helpers that restore and carry them on.
     */
    public boolean carriesState() {
        return has(Capability.STREAMING) && layers.stream().noneMatch(LayerPlan::isBidirectional);
    }

    /** Whether a layer declares dropout: then backward drops, and the class implements {@code Dropout}. */
    public boolean hasDropout() {
        return layers.stream().anyMatch(layer -> layer.dropout() != null);
    }

    public LayerPlan topLayer() {
        return layers.get(layers.size() - 1);
    }


    /** The generated class's qualified name, as the Filer takes it. */
    public String qualifiedClassName() {
        return packageName.isEmpty() ? className : packageName + "." + className;
    }
}
