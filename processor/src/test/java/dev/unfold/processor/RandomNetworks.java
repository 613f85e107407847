package dev.unfold.processor;

import dev.unfold.Activation;
import dev.unfold.Loss;
import dev.unfold.Mapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.tools.JavaFileObject;

/**
 * Network declarations for tests: every combination of activation × loss × mapping × depth, with
 * sizes drawn from a seeded generator so each run checks the same networks.
 */
final class RandomNetworks {
    static final String PACKAGE = "generated.check";

    /** One declaration and the sizes the test chose for it. */
    record Spec(String name, int input, int output, Loss loss, Mapping mapping, List<Integer> hidden,
                List<Activation> activations) {

        String className() {
            return PACKAGE + ".Unfolded" + name;
        }

        /** Σ over layers of H·n + H·H + H, plus output·H + output: computed from the sizes alone. */
        int expectedParameterCount() {
            int count = 0;
            int width = input;
            for (int h : hidden) {
                count += h * width + h * h + h;
                width = h;
            }
            return count + output * width + output;
        }

        JavaFileObject source() {
            List<String> lines = new ArrayList<>(List.of(
                    "package " + PACKAGE + ";",
                    "import dev.unfold.*;",
                    "import dev.unfold.runtime.*;",
                    "@Network(input = " + input + ", output = " + output + ", loss = Loss." + loss
                            + ", mapping = Mapping." + mapping + ")",
                    "public interface " + name + " extends SequenceModel {"));
            for (int k = 0; k < hidden.size(); k++) {
                lines.add("    @Recurrent(hidden = " + hidden.get(k) + ", activation = Activation."
                        + activations.get(k) + ")");
                lines.add("    Layer layer" + k + "();");
            }
            lines.add("}");
            return TestCompiler.source(PACKAGE + "." + name, lines.toArray(String[]::new));
        }
    }

    private RandomNetworks() {}

    /** Every activation (for the bottom layer) × loss × mapping × 1–3 layers, with random sizes. */
    static List<Spec> allCombinations(long seed) {
        Random random = new Random(seed);
        List<Spec> specs = new ArrayList<>();
        for (Activation activation : Activation.values()) {
            for (Loss loss : Loss.values()) {
                for (Mapping mapping : Mapping.values()) {
                    for (int depth = 1; depth <= 3; depth++) {
                        List<Integer> hidden = new ArrayList<>();
                        List<Activation> activations = new ArrayList<>();
                        for (int k = 0; k < depth; k++) {
                            hidden.add(1 + random.nextInt(6));
                            // the bottom layer has the combination's activation; the others vary
                            activations.add(k == 0 ? activation
                                    : Activation.values()[random.nextInt(Activation.values().length)]);
                        }
                        int output = loss == Loss.CROSS_ENTROPY ? 2 + random.nextInt(3) : 1 + random.nextInt(4);
                        String name = "Net" + activation.name().charAt(0) + loss.ordinal() + mapping.ordinal() + depth;
                        specs.add(new Spec(name, 1 + random.nextInt(5), output, loss, mapping, hidden, activations));
                    }
                }
            }
        }
        return specs;
    }
}
