package dev.unfold.processor.emit;

import static javax.lang.model.element.Modifier.FINAL;
import static javax.lang.model.element.Modifier.PUBLIC;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unfold.Mapping;
import dev.unfold.Precision;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.declaration.RuntimeTypes;
import dev.unfold.processor.plan.LayerPlan;
import dev.unfold.processor.plan.NetworkPlan;
import dev.unfold.processor.plan.OutputPlan;
import dev.unfold.processor.plan.Scalar;
import java.util.ArrayList;
import java.util.List;

/**
 * Assembles the generated class from its parts ({@link GeneratedPart}): the parameters, the entry
 * points over one sequence, streaming, the context, feedback, the trace, each layer, the output,
 * the loss and the batched pass. Each part declares the members it uses; the class holds every
 * part's constants, then every part's fields, then every part's methods, each in the parts' order.
 */
public final class NetworkEmitter {

    /** The two ways a sequence can arrive. */
    enum Input { DENSE, TOKENS }

    /** The two ways targets can arrive. */
    enum Target { DENSE, LABELS }

    private final NetworkPlan network;
    private final OutputPlan output;
    private final Scalar scalar;

    public NetworkEmitter(NetworkPlan network) {
        this.network = network;
        this.scalar = network.scalar();
        this.output = network.output();
    }

    /** The generated class, without the file-level concerns the source writer adds. */
    public TypeSpec.Builder emit() {
        ClassName self = ClassName.get(network.packageName(), network.className());
        ClassName implemented = ClassName.get(network.packageName(), network.interfaceNames().get(0),
                network.interfaceNames().subList(1, network.interfaceNames().size()).toArray(String[]::new));
        TypeSpec.Builder type = TypeSpec.classBuilder(self)
                .addModifiers(PUBLIC, FINAL)
                .addSuperinterface(implemented)
                .addJavadoc(classJavadoc(implemented));
        if (network.hasDropout()) {
            type.addSuperinterface(RuntimeTypes.DROPOUT);   // the masks' control, for the Trainer
        }
        List<GeneratedPart> parts = parts();
        for (GeneratedPart part : parts) {
            type.addFields(part.constants());
        }
        for (GeneratedPart part : parts) {
            type.addFields(part.fields());
        }
        for (GeneratedPart part : parts) {
            type.addMethods(part.methods());
        }
        return type;
    }

    /** The parts of the class, in the order their members appear. */
    private List<GeneratedPart> parts() {
        List<LayerEmitter> layers = layerEmitters();
        List<GeneratedPart> parts = new ArrayList<>();
        parts.add(new StreamingEmitter(network, layers));
        parts.add(new BatchStreamsEmitter(network));
        parts.add(new ContextEmitter(network));
        parts.add(new BiasPairEmitter(network));
        parts.add(new FeedbackEmitter(network));
        parts.add(new StateGradientTraceEmitter(network));
        parts.addAll(layers);
        parts.add(new OutputEmitter(network));
        parts.add(new LossEmitter(network));
        parts.add(new BatchNetworkEmitter(network));
        parts.add(new DropoutEmitter(network));
        // the entry points' reserve grows every part's per-step buffers
        List<StepBuffer> stepBuffers = parts.stream().flatMap(part -> part.stepBuffers().stream()).toList();
        parts.add(0, new ParametersEmitter(network));
        parts.add(1, new EntryPointsEmitter(network, layers, stepBuffers));
        return parts;
    }

    private CodeBlock classJavadoc(ClassName implemented) {
        CodeBlock.Builder doc = CodeBlock.builder()
                .add("{@link $T} compiled by Unfold: $L parameters, loss $L, $L$L.\n\n", implemented,
                        network.parameterCount(), network.loss(), mappingWords(), precisionWords())
                .add("<pre>\n");
        for (LayerPlan layer : network.layers()) {
            doc.add("$L: $L   $L → $L\n", layer.name(), layerWords(layer), layer.inputWidth(), layer.width());
        }
        doc.add("out: o_t = V h_t + c, ŷ_t = $L   $L → $L\n", outputActivationWords(), network.topLayer().width(),
                        output.size())
                .add("</pre>\n\n")
                .add("The comments cite equations.md (n): the numbered equations in Unfold's docs/equations.md, whose\n"
                        + "symbols they use (W_ih, W_hh, b for a layer; V, c for the output; δz for ∂L/∂z).\n")
                .add(network.feedsBackOutput() ? "W_oh reads the previous output (equations.md (8.1), (8.2)): the"
                        + " target y_{t−1}\nin backward and loss (teacher forcing), the prediction ŷ_{t−1} in"
                        + " forward and step.\n" : "")
                .add("Not thread-safe; buffers grow only when a sequence is longer than any before.\n");
        return doc.build();
    }

    private static String layerWords(LayerPlan layer) {
        String cell = !layer.cell().isGated()
                ? "h_t = " + ActivationCode.symbol(layer.activation()) + "(" + switch (layer.recurrence()) {
                    case HIDDEN -> "W_hh h_{t−1}";
                    case OUTPUT -> "W_oh y_{t−1}";
                    case HIDDEN_AND_OUTPUT -> "W_hh h_{t−1} + W_oh y_{t−1}";
                } + " + W_ih x_t + b)"
                : layer.cell().name() + ", gates " + layer.cell().gateNames()
                        + (layer.projects() ? ", h_t = W_hr (o ⊙ tanh(c_t)) of " + layer.stateSize() + " values from "
                                + layer.hidden() + " units" : "");
        if (layer.cell().isGated() && layer.readsOutput()) {
            return cell + ", reading W_oh y_{t−1} too";
        }
        return layer.isBidirectional() ? cell + ", both directions: [h_t ; g_t]" : cell;
    }

    /**
     * Nothing for the default precision, whose classes read as they always did; for float32, what
     * computes in float and what the API keeps in double.
     */
    private String precisionWords() {
        return network.scalar().precision() == Precision.FLOAT64 ? ""
                : ", in " + network.scalar().type() + ".\nIts losses are returned as " + Scalar.LOSS + "; states, state"
                        + " gradients and contexts are given and taken\nas " + Scalar.STATE + ", rounded to "
                        + network.scalar().type() + " in and widened out";
    }

    private String mappingWords() {
        return network.mapping() == Mapping.MANY_TO_MANY ? "one output per step" : "one output per sequence";
    }

    private String outputActivationWords() {
        return switch (network.loss()) {
            case MSE -> "o_t";
            case CROSS_ENTROPY -> "softmax(o_t)";
            case BINARY_CROSS_ENTROPY -> "sigmoid(o_t)";
        };
    }

    private List<LayerEmitter> layerEmitters() {
        List<LayerEmitter> emitters = new ArrayList<>();
        LayerPlan below = null;
        for (LayerPlan layer : network.layers()) {
            String summaryGradient = hasGradientFromAbove(layer) ? null : output.summaryGradient();
            emitters.add(new LayerEmitter(layer, below, scalar, hasGradientFromAbove(layer), summaryGradient,
                    network.helpers(), network.has(Capability.TRACEABLE)));
            below = layer;
        }
        return emitters;
    }

    private boolean hasGradientFromAbove(LayerPlan layer) {
        return layer != network.topLayer() || network.mapping() == Mapping.MANY_TO_MANY;
    }

    static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(PUBLIC).returns(returns);
    }
}
