package dev.unfold.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The masks equations.md (16.5) defines: over many draws a unit is kept with probability 1 − p
 * within a binomial bound, kept values are exactly 1/(1 − p) and dropped ones 0, and every way
 * of drawing them (a sequence's steps, its tokens, a recurrent mask, a batch's lanes) gives the
 * same mask for the same (seed, draw, sequence, site, step, unit).
 */
class DropoutMasksTest {

    @Test
    void theKeepRateIsOneMinusPWithinABinomialBound() {
        for (double p : new double[] {0.1, 0.25, 0.5, 0.9}) {
            int width = 100;
            int steps = 200;
            double[] mask = new double[(steps + 1) * width];
            long kept = 0;
            long n = 0;
            for (long draw = 0; draw < 10; draw++) {
                DropoutMasks.fillSteps(mask, width, steps, DropoutMasks.sequenceKey(42, draw, 3), 1, p);
                for (int i = width; i < mask.length; i++) {
                    if (mask[i] != 0) {
                        assertEquals(1 / (1 - p), mask[i], "a kept value is scaled by 1/(1 − p)");
                        kept++;
                    }
                    n++;
                }
            }
            // 5 standard deviations of a binomial count: a false alarm about once in 3.5 million runs
            double expected = n * (1 - p);
            double bound = 5 * Math.sqrt(n * p * (1 - p));
            assertTrue(Math.abs(kept - expected) <= bound, "p = " + p + ": kept " + kept + " of " + n
                    + ", expected " + expected + " ± " + bound);
        }
    }

    @Test
    void recurrentMasksKeepAtTheRateToo() {
        double p = 0.3;
        int size = 64;
        double[] mask = new double[size];
        long kept = 0;
        int sequences = 2000;
        for (int s = 0; s < sequences; s++) {
            DropoutMasks.fill(mask, size, DropoutMasks.sequenceKey(1, 2, s), 2, p);
            kept += Arrays.stream(mask).filter(v -> v != 0).count();
        }
        long n = (long) size * sequences;
        assertTrue(Math.abs(kept - n * (1 - p)) <= 5 * Math.sqrt(n * p * (1 - p)), "kept " + kept + " of " + n);
    }

    @Test
    void everyWayOfDrawingGivesTheSameMask() {
        double p = 0.4;
        int width = 7;
        int steps = 5;
        int batch = 3;
        int lanes = 8;
        double[][] rows = new double[(steps + 2) * width][lanes];
        DropoutMasks.fillRows(rows, width, steps, batch, lanes, 9, 4, 10, 3, p);
        float[][] floatRows = new float[(steps + 2) * width][lanes];
        DropoutMasks.fillRows(floatRows, width, steps, batch, lanes, 9, 4, 10, 3, p);
        for (int b = 0; b < batch; b++) {
            double[] single = new double[(steps + 2) * width];
            DropoutMasks.fillSteps(single, width, steps, DropoutMasks.sequenceKey(9, 4, 10 + b), 3, p);
            int[] tokens = new int[steps];
            for (int t = 1; t <= steps; t++) {
                tokens[t - 1] = (t * 3 + b) % width;
                for (int j = 0; j < width; j++) {
                    assertEquals(single[t * width + j], rows[t * width + j][b], "lane b is sequence 10 + b");
                    assertEquals((float) single[t * width + j], floatRows[t * width + j][b]);
                    assertEquals(single[t * width + j] != 0, DropoutMasks.keeps(9, 4, 10 + b, 3, t, j, p));
                }
            }
            double[] tokenMask = new double[(steps + 2) * width];
            DropoutMasks.fillTokens(tokenMask, width, tokens, steps, DropoutMasks.sequenceKey(9, 4, 10 + b), 3, p);
            double[][] keep = new double[steps + 2][lanes];
            int[][] batchTokens = {tokens, tokens, tokens};
            DropoutMasks.fillTokenRows(keep, batchTokens, steps, batch, 9, 4, 10 + b, 3, p);
            for (int t = 1; t <= steps; t++) {
                assertEquals(single[t * width + tokens[t - 1]], tokenMask[t * width + tokens[t - 1]]);
                assertEquals(single[t * width + tokens[t - 1]], keep[t][0]);
            }
            double[] recurrent = new double[width];
            DropoutMasks.fill(recurrent, width, DropoutMasks.sequenceKey(9, 4, 10 + b), 3, p);
            double[][] recurrentLanes = new double[width][lanes];
            DropoutMasks.fillLanes(recurrentLanes, width, batch, lanes, 9, 4, 10, 3, p);
            for (int j = 0; j < width; j++) {
                assertEquals(recurrent[j], recurrentLanes[j][b]);
                assertEquals(0.0, recurrentLanes[j][lanes - 1], "lanes past the batch are 0");
            }
        }
    }

    @Test
    void anyPartOfTheKeyChangesTheMask() {
        double p = 0.5;
        int width = 256;
        double[] base = new double[2 * width];
        DropoutMasks.fillSteps(base, width, 1, DropoutMasks.sequenceKey(1, 1, 1), 1, p);
        long[][] keys = {{2, 1, 1, 1}, {1, 2, 1, 1}, {1, 1, 2, 1}, {1, 1, 1, 2}};
        for (long[] key : keys) {
            double[] other = new double[2 * width];
            DropoutMasks.fillSteps(other, width, 1, DropoutMasks.sequenceKey(key[0], key[1], key[2]), (int) key[3], p);
            assertNotEquals(Arrays.toString(base), Arrays.toString(other), Arrays.toString(key));
        }
    }

    @Test
    void zeroDropsNothing() {
        double[] mask = new double[3 * 50];
        DropoutMasks.fillSteps(mask, 50, 2, 123, 0, 0.0);
        for (int i = 50; i < mask.length; i++) {
            assertEquals(1.0, mask[i]);
        }
    }
}
