package dev.unfold.processor.validate;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Recurrence;
import dev.unfold.processor.cell.CellKind;
import dev.unfold.processor.declaration.Anchor;
import dev.unfold.processor.declaration.Capability;
import dev.unfold.processor.declaration.Located;
import dev.unfold.processor.declaration.LayerMethod;
import dev.unfold.processor.declaration.NetworkDeclaration;
import dev.unfold.processor.declaration.NetworkDeclaration.OtherMethod;
import dev.unfold.processor.declaration.NetworkDeclaration.TypeKind;
import dev.unfold.processor.declaration.RuntimeTypes;
import dev.unfold.processor.plan.ParameterCount;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds everything wrong with a declaration, each problem at the element or value that caused it,
 * with the fix in the message. A declaration with any problem generates nothing.
 */
public final class DeclarationValidator {
    /** The largest array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /**
     * The most layers a network may declare. Each layer adds code to the methods that run at every
     * step; at 48 layers of the largest kind (bidirectional LSTMs reading a context) the largest of
     * them, the batched unroll, stays under the 8000 bytes of bytecode HotSpot compiles, and the
     * constructor, which grows fastest, far under the JVM's 64 KB per method (MethodSizeTest).
     */
    public static final int MAX_LAYERS = 48;
    /** The name the output projection's parameters use ({@code out.weight}, {@code out.bias}). */
    static final String OUTPUT_NAME = "out";

    public List<Problem> validate(NetworkDeclaration network) {
        List<Problem> problems = new ArrayList<>();
        checkType(network, problems);
        checkSizes(network, problems);
        checkLayers(network, problems);
        EncoderCheck.check(network, problems);
        for (OtherMethod method : network.otherAbstractMethods()) {
            problems.add(new Problem("UnfoldUnimplementableMethod", "abstract method " + method.signature()
                    + " is neither a layer declared in " + network.simpleName()
                    + " nor part of SequenceModel, so the generated class cannot implement it: annotate it"
                    + " with @Recurrent in " + network.simpleName() + ", give it a default body, or remove it",
                    method.anchor()));
        }
        if (problems.isEmpty()) {
            checkCapacity(network, problems);
        }
        if (problems.isEmpty()) {
            // what the interface extends is judged against a declaration that is otherwise sound: the fix
            // of another mistake (a layer's recurrence, the loss) may change what it must extend
            CapabilityCheck.check(network, problems);
        }
        return problems;
    }

    private static void checkType(NetworkDeclaration network, List<Problem> problems) {
        String name = network.simpleName();
        if (network.kind() != TypeKind.INTERFACE) {
            problems.add(new Problem("UnfoldNotInterface", "@Network must annotate an interface, but "
                    + name + " is " + article(network.kind()) + ": declare it as `interface "
                    + lastName(network) + " extends SequenceModel`", network.anchor()));
            return; // the other type checks assume an interface
        }
        if (!network.extendsSequenceModel()) {
            problems.add(new Problem("UnfoldNotSequenceModel", "@Network interface " + name
                    + " must extend " + RuntimeTypes.SEQUENCE_MODEL.canonicalName() + ": declare it as `interface "
                    + lastName(network) + " extends SequenceModel`", network.anchor()));
        }
        if (network.isGeneric()) {
            problems.add(new Problem("UnfoldGenericNetwork", "@Network interface " + name
                    + " must not declare type parameters: the generated class is specialised to one network;"
                    + " remove the type parameters", network.anchor()));
        }
        if (network.isPrivate()) {
            problems.add(new Problem("UnfoldPrivateNetwork", "@Network interface " + name
                    + " must not be private (nor nested in a private class): the generated class in the"
                    + " same package implements it; make it package-private or public", network.anchor()));
        }
    }

    private static void checkSizes(NetworkDeclaration network, List<Problem> problems) {
        positive(network.input(), "input", "the width of x_t, or the vocabulary size for token input",
                "UnfoldInputSize", problems);
        positive(network.output(), "output", "the width of ŷ_t, or the number of classes",
                "UnfoldOutputSize", problems);
        Integer context = network.context().value();
        if (context != null && context < 0) {
            problems.add(new Problem("UnfoldContextSize", "context must be 0 (none) or at least 1, got " + context
                    + ": it is the width of a vector the first layer reads at every step", network.context().anchor()));
        }
        Integer output = network.output().value();
        if (network.loss().value() == Loss.CROSS_ENTROPY && output != null && output == 1) {
            problems.add(new Problem("UnfoldCrossEntropyOutput",
                    "loss = CROSS_ENTROPY needs output >= 2 classes, got 1: a softmax over one class is"
                    + " always 1; for one yes/no output use loss = Loss.BINARY_CROSS_ENTROPY",
                    network.loss().anchor()));
        }
    }

    private static void checkLayers(NetworkDeclaration network, List<Problem> problems) {
        if (network.layerMethods().isEmpty() && network.kind() == TypeKind.INTERFACE) {
            problems.add(new Problem("UnfoldNoLayers", "@Network interface " + network.simpleName()
                    + " declares no layers: add one, for example `@Recurrent(hidden = 20) Layer rnn();`",
                    network.anchor()));
        }
        for (LayerMethod layer : network.layerMethods()) {
            String method = layer.name() + "()";
            if (layer.recurrent() == null) {
                if (layer.isBidirectional()) {
                    problems.add(new Problem("UnfoldBidirectionalWithoutRecurrent", "@Bidirectional runs a"
                            + " recurrent layer in both directions, but " + method + " has no @Recurrent: add"
                            + " @Recurrent(hidden = ...) to it", layer.bidirectional()));
                } else {
                    problems.add(new Problem("UnfoldMissingRecurrent", "method " + method
                            + " returns Layer but is not annotated: annotate it with @Recurrent(hidden = ...)"
                            + " to make it a layer, or give it a default body", layer.anchor()));
                }
                continue;
            }
            if (!layer.returnsLayer()) {
                problems.add(new Problem("UnfoldLayerReturnType", "@Recurrent method " + layer.name()
                        + " must return " + RuntimeTypes.LAYER.canonicalName() + ", not " + layer.returnType()
                        + ": declare it as `Layer " + method + ";`", layer.anchor()));
            }
            if (!layer.isAbstract()) {
                problems.add(new Problem("UnfoldLayerNotAbstract", "@Recurrent method " + layer.name()
                        + " must be abstract, as the generated class implements it: remove its body"
                        + " and any default or static modifier", layer.anchor()));
            }
            if (layer.parameterCount() > 0) {
                problems.add(new Problem("UnfoldLayerParameters", "@Recurrent method " + layer.name()
                        + " must take no parameters, got " + layer.parameterCount()
                        + ": declare it as `Layer " + method + ";`", layer.anchor()));
            }
            if (layer.isGeneric()) {
                problems.add(new Problem("UnfoldGenericLayer", "@Recurrent method " + layer.name()
                        + " must not declare type parameters: declare it as `Layer " + method + ";`",
                        layer.anchor()));
            }
            inheritedClash(layer).ifPresent(problems::add);
            if (layer.name().equals(OUTPUT_NAME)) {
                problems.add(new Problem("UnfoldReservedLayerName", "a layer cannot be named `" + OUTPUT_NAME
                        + "`: the output projection's parameters are out.weight and out.bias; rename the method",
                        layer.anchor()));
            }
            positive(layer.recurrent().hidden(), "hidden", "the size of the hidden state h_t",
                    "UnfoldHiddenSize", problems);
            CellKind cell = layer.recurrent().cellKind();
            Activation activation = layer.recurrent().activation().value();
            if (cell != null && !cell.takesActivation() && activation != Activation.TANH) {
                problems.add(new Problem("UnfoldGatedActivation", "activation applies to Cell.SIMPLE only: "
                        + cell.name() + " uses " + cell.fixedActivationsInWords()
                        + "; remove `activation = " + activation + "`", layer.recurrent().activation().anchor()));
            }
            checkRecurrence(network, layer, problems);
            checkProjection(layer, problems);
            checkDropout(network, layer, layer.recurrent().dropout(), "dropout", problems);
            checkDropout(network, layer, layer.recurrent().recurrentDropout(), "recurrentDropout", problems);
        }
    }

    /**
     * {@code dropout} and {@code recurrentDropout} are probabilities of dropping a value in
     * training: finite, 0 ≤ p &lt; 1 (at 1 every value would be dropped, and the kept ones' scale
     * 1/(1 − p) infinite). Recurrent dropout needs W_hh; dropout is not built yet for networks
     * whose training runs other passes than {@code backward} (an encoder's, a network fed its own
     * output), nor for a decoder, which an {@code EncoderDecoder} trains under a trainer of bare
     * parameters that could not draw its masks. Reported at the value.
     */
    private static void checkDropout(NetworkDeclaration network, LayerMethod layer, Located<Double> rate,
                                     String attribute, List<Problem> problems) {
        Double value = rate.value();
        if (value == null || value == 0) {
            return;
        }
        if (!Double.isFinite(value) || value < 0 || value >= 1) {
            problems.add(new Problem("UnfoldDropout", attribute + " of " + layer.name() + " must be a probability"
                    + " 0 <= p < 1, got " + value + ": each value is dropped with probability p and a kept one"
                    + " scaled by 1/(1 - p); declare for example " + attribute + " = 0.25, or 0 for none",
                    rate.anchor()));
            return;
        }
        if (attribute.equals("recurrentDropout") && layer.recurrent().recurrence().value() == Recurrence.OUTPUT) {
            problems.add(new Problem("UnfoldDropout", "recurrentDropout drops h_{t-1} where it enters W_hh, but "
                    + layer.name() + " has no W_hh (recurrence = OUTPUT): remove `recurrentDropout = " + value
                    + "` or use dropout", rate.anchor()));
            return;
        }
        for (Capability capability : List.of(Capability.ENCODER, Capability.DECODER, Capability.AUTOREGRESSIVE)) {
            if (network.has(capability)) {
                problems.add(new Problem("UnfoldDropout", attribute + " is not supported yet for a network that"
                        + " extends " + capability.type().simpleName() + ": its training runs passes besides"
                        + " backward, or under a trainer that does not draw its masks; remove `" + attribute + " = "
                        + value + "`", rate.anchor()));
                return;
            }
        }
    }

    /**
     * {@code projection} is PyTorch's {@code proj_size}: only an LSTM has it, and it must lie
     * strictly between 0 and hidden (0 declares none). Reported at the projection's value.
     */
    private static void checkProjection(LayerMethod layer, List<Problem> problems) {
        Located<Integer> projection = layer.recurrent().projection();
        Integer value = projection.value();
        if (value == null || value == 0) {
            return;
        }
        Cell cell = layer.recurrent().cell().value();
        if (cell != null && cell != Cell.LSTM) {
            problems.add(new Problem("UnfoldProjectionNotLstm", "projection applies to Cell.LSTM only (PyTorch's"
                    + " nn.LSTM(proj_size = ...)), but " + layer.name() + " is " + cell + ": use cell = Cell.LSTM"
                    + " or remove `projection = " + value + "`", projection.anchor()));
            return;
        }
        Integer hidden = layer.recurrent().hidden().value();
        if (value < 0) {
            problems.add(new Problem("UnfoldProjectionSize", "projection must be at least 1, or 0 for none, got "
                    + value + ": it is the size of the projected state h_t = W_hr (o_t ⊙ tanh(c_t))",
                    projection.anchor()));
        } else if (hidden != null && hidden > 0 && value >= hidden) {
            problems.add(new Problem("UnfoldProjectionSize", "projection must be smaller than hidden = " + hidden
                    + ", got " + value + ": h_t = W_hr (o_t ⊙ tanh(c_t)) projects the " + hidden + " units to"
                    + " fewer values, as PyTorch requires 0 < proj_size < hidden_size; declare projection = "
                    + (hidden - 1) + " or less, or remove it", projection.anchor()));
        }
    }

    /**
     * A layer's accessor overrides every inherited method of its name without parameters. It
     * cannot when SequenceModel declares that method (the generated class implements it with
     * SequenceModel's meaning), when it is final, or when it returns a type Layer is not.
     */
    private static Optional<Problem> inheritedClash(LayerMethod layer) {
        for (LayerMethod.Namesake namesake : layer.namesakes()) {
            String why = namesake.ofSequenceModel() ? ", which the generated class implements as SequenceModel says"
                    : namesake.isFinal() ? ", which is final"
                    : !namesake.acceptsLayer() ? ", which returns " + namesake.returnType() + ", not Layer"
                    : null;
            if (why != null) {
                return Optional.of(new Problem("UnfoldReservedLayerName", "a layer cannot be named `" + layer.name()
                        + "`: its accessor " + layer.name() + "() would override " + namesake.signature() + why
                        + "; rename the method", layer.anchor()));
            }
        }
        return Optional.empty();
    }

    /**
     * A layer may read the network's previous output only where that output exists one step
     * earlier: in the first layer of a network with one output per step, which runs forward in time
     * throughout (running free, step t needs ŷ_{t−1} before any layer sees x_t).
     */
    private static void checkRecurrence(NetworkDeclaration network, LayerMethod layer, List<Problem> problems) {
        Recurrence recurrence = layer.recurrent().recurrence().value();
        if (recurrence == null || recurrence == Recurrence.HIDDEN) {
            return;
        }
        Anchor at = layer.recurrent().recurrence().anchor();
        String written = "recurrence = " + recurrence;
        CellKind cell = layer.recurrent().cellKind();
        if (network.layerMethods().indexOf(layer) > 0) {
            problems.add(new Problem("UnfoldOutputRecurrenceLayer", "only the first layer can read the previous"
                    + " output, but " + layer.name() + " is not the first: move `" + written + "` to "
                    + network.layerMethods().get(0).name() + "()", at));
        } else if (network.mapping().value() == Mapping.MANY_TO_ONE) {
            problems.add(new Problem("UnfoldOutputRecurrenceMapping", written + " feeds ŷ_{t−1} back at every"
                    + " step, but a MANY_TO_ONE network has one output per sequence: use MANY_TO_MANY or remove `"
                    + written + "`", at));
        } else if (cell != null && !cell.allows(recurrence)) {
            problems.add(new Problem("UnfoldOutputRecurrenceCell", "recurrence = OUTPUT replaces W_hh h_{t−1},"
                    + " but " + cell.name() + " gates read h_{t−1}: use recurrence = HIDDEN_AND_OUTPUT", at));
        }
        for (LayerMethod other : network.layerMethods()) {
            if (other.isBidirectional()) {
                problems.add(new Problem("UnfoldOutputRecurrenceBidirectional", written + " runs the network one"
                        + " step at a time when it generates, but " + other.name() + " is bidirectional and needs"
                        + " the whole sequence first: remove @Bidirectional or `" + written + "`", at));
                break;
            }
        }
    }

    /**
     * Every tensor must fit in a Java array, and so must the parameter count, which the generated
     * class states as an {@code int}: a product of sizes past that would wrap in the generated int
     * arithmetic. Each too-large tensor is reported at the size that dominates it. The layer count
     * is bounded too, as each layer adds code to the generated methods (see {@link #MAX_LAYERS}).
     */
    private static void checkCapacity(NetworkDeclaration network, List<Problem> problems) {
        List<LayerMethod> layers = network.layerMethods();
        if (layers.size() > MAX_LAYERS) {
            problems.add(new Problem("UnfoldTooLarge", network.simpleName() + " declares " + layers.size()
                    + " layers, more than the " + MAX_LAYERS + " Unfold generates code for: each layer adds code to"
                    + " the methods that run at every step, and past " + MAX_LAYERS + " layers they outgrow the 8000"
                    + " bytes of bytecode HotSpot compiles; declare at most " + MAX_LAYERS + " layers",
                    layers.get(MAX_LAYERS).anchor()));
            return;
        }
        Size outputs = new Size("output", network.output());
        Size width = new Size("input", network.input());
        for (LayerMethod layer : layers) {
            Size hidden = new Size("hidden", layer.recurrent().hidden());
            Size rows = hidden.times(layer.recurrent().cellKind().gateCount());
            // h_t's size: W_hh's columns and the layer's output per direction
            Size state = layer.recurrent().projectionSize() > 0
                    ? new Size("projection", layer.recurrent().projection()) : hidden;
            String name = layer.name();
            Recurrence recurrence = layer.recurrent().recurrence().value();
            tensor(name + ".weight_ih", rows, width, problems);
            if (recurrence != Recurrence.OUTPUT) {
                tensor(name + ".weight_hh", rows, state, problems);
            }
            if (state != hidden) {
                tensor(name + ".weight_hr", state, hidden, problems);
            }
            Integer context = network.context().value();
            if (layer == layers.get(0) && context != null && context > 0) {
                tensor(name + ".weight_context", rows, new Size("context", network.context()), problems);
            }
            if (recurrence != Recurrence.HIDDEN) {
                tensor(name + ".weight_oh", rows, outputs, problems);
            }
            width = state.times(layer.isBidirectional() ? 2 : 1);
        }
        tensor(OUTPUT_NAME + ".weight", outputs, width, problems);
        if (!problems.isEmpty()) {
            return;
        }
        long count = ParameterCount.of(network);
        if (count > MAX_ARRAY) {
            problems.add(new Problem("UnfoldTooLarge", network.simpleName() + " has " + count + " parameters, more"
                    + " than a Java array and parameterCount() hold (" + MAX_ARRAY + "): reduce hidden, input, output"
                    + " or context, or declare fewer layers", network.anchor()));
        }
    }

    /**
     * A size as the declaration sets it: the annotation value it comes from (for a layer's input
     * width, the layer below's hidden), named as written, times the factor the network applies.
     */
    private record Size(String attribute, Located<Integer> source, long factor) {
        Size(String attribute, Located<Integer> source) {
            this(attribute, source, 1);
        }

        long value() {
            return factor * source.value();
        }

        Size times(long more) {
            return new Size(attribute, source, factor * more);
        }
    }

    /** A rows × columns tensor too large for an array, reported at whichever size is the larger. */
    private static void tensor(String name, Size rows, Size columns, List<Problem> problems) {
        if (rows.value() > MAX_ARRAY / columns.value()) { // their product could overflow even a long
            Size culprit = rows.value() >= columns.value() ? rows : columns;
            problems.add(new Problem("UnfoldTooLarge", name + " needs " + rows.value() + " × " + columns.value()
                    + " values, more than a Java array holds (" + MAX_ARRAY + "): reduce " + culprit.attribute(),
                    culprit.source().anchor()));
        }
    }

    private static void positive(Located<Integer> size, String name, String meaning, String id,
                                 List<Problem> problems) {
        if (size.value() != null && size.value() <= 0) {
            problems.add(new Problem(id, name + " must be at least 1, got " + size.value() + ": it is "
                    + meaning, size.anchor()));
        }
    }

    private static String article(TypeKind kind) {
        return switch (kind) {
            case CLASS -> "a class";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION -> "an annotation type";
            case INTERFACE -> "an interface";
        };
    }

    private static String lastName(NetworkDeclaration network) {
        return network.nestingNames().get(network.nestingNames().size() - 1);
    }
}
