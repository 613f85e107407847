package dev.unfold.processor;

import dev.unfold.Activation;
import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import dev.unfold.Precision;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;

/**
 * Network declarations for tests: every kind of bottom layer (the four simple activations, LSTM,
 * GRU, an LSTM projecting its state) × one or two directions × loss × mapping × 1–3 layers, with
 * the layers above drawn at random (above a projecting LSTM, half of them projecting LSTMs too),
 * and sizes from a seeded generator so each run checks the same networks.
 */
final class RandomNetworks {
    static final String PACKAGE = "generated.check";

    /** One layer as declared; {@code projection} is an LSTM's P, 0 for none. */
    record LayerSpec(int hidden, Cell cell, Activation activation, boolean bidirectional, int projection) {

        LayerSpec(int hidden, Cell cell, Activation activation, boolean bidirectional) {
            this(hidden, cell, activation, bidirectional, 0);
        }

        /**
         * G·H(n + S) + G·H per direction, S the size of h_t (H, or P when projected), plus b_hn for a
         * GRU and W_hr (P × H) for a projecting LSTM: computed here from PyTorch's shapes.
         */
        int parameterCount(int input) {
            int gates = switch (cell) {
                case SIMPLE -> 1;
                case LSTM -> 4;
                case GRU -> 3;
            };
            int perDirection = gates * hidden * input + gates * hidden * state() + gates * hidden
                    + (cell == Cell.GRU ? hidden : 0) + projection * hidden;
            return (bidirectional ? 2 : 1) * perDirection;
        }

        /** The size of h_t. */
        int state() {
            return projection > 0 ? projection : hidden;
        }

        int width() {
            return (bidirectional ? 2 : 1) * state();
        }

        String code() {
            if (projection > 0) {
                return "P";
            }
            return cell == Cell.SIMPLE ? activation.name().substring(0, 1) : cell.name().substring(0, 1);
        }
    }

    /**
     * One declaration and the sizes the test chose for it. The same network in the other precision
     * ({@link #in}) has the same name, sizes, capabilities and random examples; its interface is
     * named apart ({@code F32} appended) so that both compile together.
     */
    record Spec(String name, int input, int output, Loss loss, Mapping mapping, List<LayerSpec> layers,
                Precision precision) {

        Spec(String name, int input, int output, Loss loss, Mapping mapping, List<LayerSpec> layers) {
            this(name, input, output, loss, mapping, layers, Precision.FLOAT64);
        }

        /** The same network computing in {@code other}. */
        Spec in(Precision other) {
            return new Spec(name, input, output, loss, mapping, layers, other);
        }

        /** The interface's simple name: the name, with {@code F32} appended for a float32 network. */
        String typeName() {
            return precision == Precision.FLOAT64 ? name : name + "F32";
        }

        String className() {
            return PACKAGE + ".Unfolded" + typeName();
        }

        /**
         * A seed for this network's random examples, the same on every run. Not {@code hashCode()}:
         * a record's hash includes its enums' identity hashes, which change from run to run.
         */
        long seed() {
            return name.hashCode();
        }

        int expectedParameterCount() {
            int count = 0;
            int width = input;
            for (LayerSpec layer : layers) {
                count += layer.parameterCount(width);
                width = layer.width();
            }
            return count + output * width + output;
        }

        boolean hasReluLayer() {
            return layers.stream().anyMatch(l -> l.cell() == Cell.SIMPLE && l.activation() == Activation.RELU);
        }

        /**
         * What the interface extends: {@code Classifier} for cross-entropy, as it must, and a choice
         * among the capabilities its layers allow, drawn from its name so that every run compiles the
         * same, and the networks together compile every kind of generated class.
         */
        List<String> capabilities() {
            Random choice = new Random(name.hashCode());
            List<String> capabilities = new ArrayList<>();
            if (layers.stream().noneMatch(LayerSpec::bidirectional)) {
                switch (choice.nextInt(5)) {
                    case 1 -> capabilities.add("Streaming");
                    case 2 -> capabilities.add("Encoder");
                    case 3 -> capabilities.add("Decoder");
                    case 4 -> capabilities.addAll(List.of("Encoder", "Decoder"));
                    default -> { }
                }
            }
            if (loss == Loss.CROSS_ENTROPY) {
                capabilities.add("Classifier");
            }
            if (choice.nextBoolean()) {
                capabilities.add("Traceable");
            }
            return capabilities;
        }

        JavaFileObject source() {
            return source(capabilities());
        }

        /** The declaration, extending {@code capabilities} instead of those {@link #capabilities()} chooses. */
        JavaFileObject source(List<String> capabilities) {
            List<String> lines = new ArrayList<>(List.of(
                    "package " + PACKAGE + ";",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = " + input + ", output = " + output + ", loss = Loss." + loss
                            + ", mapping = Mapping." + mapping
                            + (precision == Precision.FLOAT64 ? "" : ", precision = Precision." + precision) + ")",
                    "public interface " + typeName() + " extends "
                            + (capabilities.isEmpty() ? "SequenceModel" : String.join(", ", capabilities)) + " {"));
            for (int k = 0; k < layers.size(); k++) {
                LayerSpec layer = layers.get(k);
                lines.add("    @Recurrent(hidden = " + layer.hidden() + ", cell = Cell." + layer.cell()
                        + (layer.cell() == Cell.SIMPLE ? ", activation = Activation." + layer.activation() : "")
                        + (layer.projection() > 0 ? ", projection = " + layer.projection() : "") + ")");
                if (layer.bidirectional()) {
                    lines.add("    @Bidirectional");
                }
                lines.add("    Layer layer" + k + "();");
            }
            lines.add("}");
            return TestCompiler.source(PACKAGE + "." + typeName(), lines.toArray(String[]::new));
        }
    }

    private RandomNetworks() {}

    /** The kinds of layer a network can start with. */
    private static List<LayerSpec> bottomKinds(Random random) {
        List<LayerSpec> kinds = new ArrayList<>();
        for (Activation activation : Activation.values()) {
            kinds.add(new LayerSpec(0, Cell.SIMPLE, activation, false));
        }
        kinds.add(new LayerSpec(0, Cell.LSTM, Activation.TANH, false));
        kinds.add(new LayerSpec(0, Cell.GRU, Activation.TANH, false));
        // last, so that the networks of the kinds before draw the same sizes as before it was added
        kinds.add(new LayerSpec(0, Cell.LSTM, Activation.TANH, false, 1));
        return kinds;
    }

    /** Every bottom layer kind × direction × loss × mapping × 1–3 layers, with random sizes. */
    static List<Spec> allCombinations(long seed) {
        Random random = new Random(seed);
        List<Spec> specs = new ArrayList<>();
        for (LayerSpec kind : bottomKinds(random)) {
            for (boolean bidirectional : new boolean[] {false, true}) {
                for (Loss loss : Loss.values()) {
                    for (Mapping mapping : Mapping.values()) {
                        for (int depth = 1; depth <= 3; depth++) {
                            List<LayerSpec> layers = new ArrayList<>();
                            if (kind.projection() > 0) {
                                layers.add(projectingLayer(random, bidirectional));
                            } else {
                                layers.add(new LayerSpec(1 + random.nextInt(5), kind.cell(), kind.activation(),
                                        bidirectional));
                            }
                            for (int k = 1; k < depth; k++) {
                                layers.add(kind.projection() > 0 && random.nextBoolean()
                                        ? projectingLayer(random, random.nextBoolean()) : randomLayer(random));
                            }
                            int output = loss == Loss.CROSS_ENTROPY ? 2 + random.nextInt(3) : 1 + random.nextInt(4);
                            String name = "Net" + kind.code() + (bidirectional ? "B" : "U") + loss.ordinal()
                                    + mapping.ordinal() + depth;
                            specs.add(new Spec(name, 1 + random.nextInt(4), output, loss, mapping, List.copyOf(layers)));
                        }
                    }
                }
            }
        }
        return specs;
    }

    /** An LSTM of 2–5 units projecting its state to 1..H − 1 values, as PyTorch allows. */
    private static LayerSpec projectingLayer(Random random, boolean bidirectional) {
        int hidden = 2 + random.nextInt(4);
        return new LayerSpec(hidden, Cell.LSTM, Activation.TANH, bidirectional, 1 + random.nextInt(hidden - 1));
    }

    private static LayerSpec randomLayer(Random random) {
        Cell cell = Cell.values()[random.nextInt(Cell.values().length)];
        Activation activation = cell == Cell.SIMPLE
                ? Activation.values()[random.nextInt(Activation.values().length)] : Activation.TANH;
        return new LayerSpec(1 + random.nextInt(5), cell, activation, random.nextBoolean());
    }

    /** A check of one network with one kind of input (tokens or dense) and target (labels or dense). */
    interface Check {
        void run(ClassLoader loader, Spec spec, boolean tokens, boolean labels) throws Throwable;
    }

    /**
     * One dynamic test per compiler, network, input kind and target kind (labels only for
     * cross-entropy), the networks compiled once per compiler.
     */
    static Stream<DynamicContainer> eachCase(List<Spec> specs, Check check) {
        return eachCase(specs, List.of(), check);
    }

    /**
     * {@link #eachCase(List, Check)}, with each network compiled also in each of {@code otherPrecisions}
     * (by the same compiler, into the same loader): for checks that compare the precisions.
     */
    static Stream<DynamicContainer> eachCase(List<Spec> specs, List<Precision> otherPrecisions, Check check) {
        List<JavaFileObject> sources = new ArrayList<>();
        for (Spec spec : specs) {
            sources.add(spec.source());
            otherPrecisions.forEach(precision -> sources.add(spec.in(precision).source()));
        }
        CompiledSources networks = new CompiledSources(sources);
        return Arrays.stream(TestCompiler.values()).map(compiler -> {
            List<DynamicTest> tests = new ArrayList<>();
            for (Spec spec : specs) {
                for (boolean tokens : new boolean[] {false, true}) {
                    for (boolean labels : spec.loss() == Loss.CROSS_ENTROPY ? new boolean[] {false, true}
                                                                               : new boolean[] {false}) {
                        String name = spec + (tokens ? " tokens" : " dense") + (labels ? " labels" : " targets");
                        tests.add(DynamicTest.dynamicTest(name,
                                () -> check.run(networks.loader(compiler), spec, tokens, labels)));
                    }
                }
            }
            return DynamicContainer.dynamicContainer(compiler.toString(), tests.stream());
        });
    }

    /** A random sequence for {@code spec}, with random targets of the kind asked for. */
    static Example example(Spec spec, int steps, boolean useTokens, boolean useLabels,
                           Random random) {
        int rows = spec.mapping() == Mapping.MANY_TO_MANY ? steps : 1;
        double[][] xs = null;
        int[] tokens = null;
        if (useTokens) {
            tokens = random.ints(steps, 0, spec.input()).toArray();
        } else {
            xs = new double[steps][spec.input()];
            for (double[] x : xs) {
                for (int j = 0; j < x.length; j++) {
                    x[j] = random.nextGaussian();
                }
            }
        }
        if (useLabels) {
            return new Example(xs, tokens, null, random.ints(rows, 0, spec.output()).toArray());
        }
        double[][] targets = new double[rows][spec.output()];
        for (double[] y : targets) {
            for (int k = 0; k < y.length; k++) {
                y[k] = spec.loss() == Loss.MSE ? random.nextGaussian() : random.nextDouble();
            }
        }
        return new Example(xs, tokens, targets, null);
    }
}
