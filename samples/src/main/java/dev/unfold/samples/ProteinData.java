package dev.unfold.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Synthetic protein-like sequences for the classification example: random chains over the
 * 20 amino acids, labelled positive exactly when they contain the motif K followed by L. Half of
 * the sequences are positive. The rule is known, so accuracy on fresh sequences measures learning.
 * Public for the spark module's example ({@code ./unfold spark}), which trains the same task on Spark.
 */
public final class ProteinData {
    static final String AMINO_ACIDS = "ACDEFGHIKLMNPQRSTVWY";
    private static final int K = AMINO_ACIDS.indexOf('K');
    private static final int L = AMINO_ACIDS.indexOf('L');

    /** A sequence of amino-acid indices and its class: 1 for positive, 0 for negative. */
    public record Example(int[] residues, int label) {
        String letters() {
            StringBuilder text = new StringBuilder();
            for (int r : residues) {
                text.append(AMINO_ACIDS.charAt(r));
            }
            return text.toString();
        }
    }

    private ProteinData() {}

    /** {@code count} examples, alternating positive and negative, of lengths in [minLength, maxLength]. */
    public static List<Example> generate(int count, int minLength, int maxLength, Random random) {
        if (minLength < 2 || maxLength < minLength) {
            throw new IllegalArgumentException("lengths must satisfy 2 <= min <= max, got " + minLength + " and "
                    + maxLength);
        }
        List<Example> examples = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            boolean positive = i % 2 == 0;
            examples.add(new Example(sequence(minLength, maxLength, positive, random), positive ? 1 : 0));
        }
        return examples;
    }

    /** Whether the residues contain K immediately followed by L. */
    static boolean hasMotif(int[] residues) {
        for (int i = 0; i + 1 < residues.length; i++) {
            if (residues[i] == K && residues[i + 1] == L) {
                return true;
            }
        }
        return false;
    }

    private static int[] sequence(int minLength, int maxLength, boolean positive, Random random) {
        while (true) { // rejection: a random negative may contain the motif by chance
            int length = minLength + random.nextInt(maxLength - minLength + 1);
            int[] residues = random.ints(length, 0, AMINO_ACIDS.length()).toArray();
            if (positive) {
                int at = random.nextInt(length - 1);
                residues[at] = K;
                residues[at + 1] = L;
            }
            if (hasMotif(residues) == positive) {
                return residues;
            }
        }
    }
}
