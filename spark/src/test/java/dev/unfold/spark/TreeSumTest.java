package dev.unfold.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link TreeSum} gives the same bits whatever order and grouping the partitions' vectors arrive in
 * (Spark's, which follows the tasks' completion), while adding them as they arrive does not.
 */
class TreeSumTest {

    @Test
    void everyArrivalOrderAndGroupingGivesTheSameBitsAsTheFixedTree() {
        Random random = new Random(3);
        for (int partitions : new int[] {1, 2, 3, 5, 8, 13, 64}) {
            double[][] leaves = vectors(random, partitions, 50);
            double[] expected = treeSum(leaves, 0, partitions, ceilingPowerOfTwo(partitions));
            for (int trial = 0; trial < 30; trial++) {
                double[] actual = arrive(leaves, random).total();
                assertArrayEquals(expected, actual, partitions + " partitions, arrival " + trial);
            }
        }
    }

    /** What the fixed order guards against: summing in arrival order changes the bits with the order. */
    @Test
    void addingInArrivalOrderWouldChangeTheBits() {
        Random random = new Random(4);
        double[][] leaves = vectors(random, 8, 50);
        Set<String> sums = new HashSet<>();
        for (int trial = 0; trial < 30; trial++) {
            List<Integer> order = shuffled(8, random);
            double[] sum = new double[50];
            for (int p : order) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += leaves[p][i];
                }
            }
            sums.add(Arrays.toString(sum));
        }
        assertTrue(sums.size() > 1, "the arrival order did not matter for these vectors: the test above proves nothing");
    }

    @Test
    void partitionsWithoutAVectorAddNothing() {
        Random random = new Random(5);
        double[][] leaves = vectors(random, 6, 10);
        leaves[1] = null;
        leaves[4] = null;
        double[] expected = new double[10];
        for (int i = 0; i < 10; i++) {
            // the tree over 6: ((0 + 1) + (2 + 3)) + ((4 + 5) + nothing), with 1 and 4 adding nothing
            expected[i] = (leaves[0][i] + (leaves[2][i] + leaves[3][i])) + leaves[5][i];
        }
        assertArrayEquals(expected, arrive(leaves, random).total());

        TreeSum none = TreeSum.empty(3);
        for (int p = 0; p < 3; p++) {
            none.merge(TreeSum.leaf(3, p, null));
        }
        assertNull(none.total());
    }

    @Test
    void aSumMissingAPartitionIsRefused() {
        TreeSum sum = TreeSum.leaf(3, 0, new double[] {1});
        sum.merge(TreeSum.leaf(3, 2, new double[] {2}));
        assertFalse(sum.isComplete());
        assertThrows(IllegalStateException.class, sum::total);
        assertThrows(IllegalStateException.class, () -> sum.merge(TreeSum.leaf(3, 2, new double[] {2})));
        assertThrows(IllegalArgumentException.class, () -> TreeSum.leaf(3, 3, new double[] {1}));
    }

    private static double[] add(double[] a, double[] b) {
        double[] sum = a.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += b[i];
        }
        return sum;
    }

    /** The partitions' vectors merged in a random order and grouping, as Spark's tree of partial sums might. */
    private static TreeSum arrive(double[][] leaves, Random random) {
        List<TreeSum> parts = new ArrayList<>();
        for (int p : shuffled(leaves.length, random)) {
            parts.add(TreeSum.leaf(leaves.length, p, leaves[p] == null ? null : leaves[p].clone()));
        }
        while (parts.size() > 1) {
            TreeSum a = parts.remove(random.nextInt(parts.size()));
            TreeSum b = parts.remove(random.nextInt(parts.size()));
            parts.add(random.nextBoolean() ? a.merge(b) : b.merge(a));
        }
        return parts.get(0);
    }

    /** The fixed tree written out: [from, from + width) as its left half plus its right half. */
    private static double[] treeSum(double[][] leaves, int from, int partitions, int width) {
        if (width == 1) {
            return leaves[from].clone();
        }
        int half = width / 2;
        double[] left = treeSum(leaves, from, partitions, half);
        if (from + half >= partitions) {
            return left;
        }
        return add(left, treeSum(leaves, from + half, partitions, half));
    }

    private static int ceilingPowerOfTwo(int n) {
        int power = 1;
        while (power < n) {
            power *= 2;
        }
        return power;
    }

    private static double[][] vectors(Random random, int count, int length) {
        double[][] vectors = new double[count][length];
        for (double[] vector : vectors) {
            for (int i = 0; i < length; i++) {
                vector[i] = random.nextGaussian() * Math.pow(10, random.nextInt(8));
            }
        }
        return vectors;
    }

    private static List<Integer> shuffled(int n, Random random) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        return order;
    }
}
