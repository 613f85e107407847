package dev.unfold.spark;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sum of one vector per partition, added in one fixed order whatever order the partial sums
 * arrive in, so that a gradient summed on a cluster has the same bits on every run.
 *
 * <p>Floating-point addition is commutative but not associative: (a + b) + c and a + (b + c) may
 * differ in the last bit, and Spark combines task results in the order tasks finish. So the
 * partitions are the leaves of one binary tree fixed by their number alone: node (level l, index j)
 * covers partitions [j·2^l, (j+1)·2^l), and its value is its left child's plus its right child's (a
 * child covering no partition, past the last, adds nothing). A partial sum holds the complete nodes it
 * has; merging two adds a node to its sibling only when both are complete, and climbs while it can.
 * Every addition is therefore one of the tree's, with the same two operands, in whatever order and
 * grouping the partials are merged: the total is a function of the leaves alone.
 *
 * <p>A leaf without a vector (a partition with no example in the update) counts as zero and is not
 * added at all, so its absence changes no bit either.
 */
final class TreeSum implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int partitions;
    /**
     * Complete nodes by {@link #key}: their sums, null for a node whose leaves had no vector. A leaf is
     * packed ({@link PackedVector}: a float32 network's partition gradient travels as floats); a sum of
     * two is kept as doubles.
     */
    private final TreeMap<Long, PackedVector> nodes = new TreeMap<>();

    private TreeSum(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("a sum over partitions needs at least one, got " + partitions);
        }
        this.partitions = partitions;
    }

    /** Nothing yet: the value a merge starts from. */
    static TreeSum empty(int partitions) {
        return new TreeSum(partitions);
    }

    /** Partition {@code partition}'s vector ({@code null}: nothing to add), of {@code partitions}. */
    static TreeSum leaf(int partitions, int partition, double[] vector) {
        TreeSum sum = new TreeSum(partitions);
        if (partition < 0 || partition >= partitions) {
            throw new IllegalArgumentException("partition " + partition + " is outside 0 to " + (partitions - 1));
        }
        sum.insert(0, partition, vector == null ? null : PackedVector.of(vector));
        return sum;
    }

    /** Adds {@code other}'s nodes to this one's, tree-wise; returns this. {@code other} is used up. */
    TreeSum merge(TreeSum other) {
        if (other.partitions != partitions) {
            throw new IllegalArgumentException("a sum over " + other.partitions + " partitions cannot join one over "
                    + partitions);
        }
        for (Map.Entry<Long, PackedVector> node : other.nodes.entrySet()) {
            insert(level(node.getKey()), index(node.getKey()), node.getValue());
        }
        return this;
    }

    /** The lowest partition this partial sum covers: what groups neighbouring partitions. */
    int lowestPartition() {
        if (nodes.isEmpty()) {
            throw new IllegalStateException("an empty sum covers no partition");
        }
        long lowest = Long.MAX_VALUE;
        for (long key : nodes.keySet()) {
            lowest = Math.min(lowest, first(level(key), index(key)));
        }
        return (int) lowest;
    }

    /** Whether every partition's leaf has arrived. */
    boolean isComplete() {
        return nodes.size() == 1 && nodes.firstKey() == key(rootLevel(), 0);
    }

    /**
     * The sum of every partition's vector; null if none had one.
     *
     * @throws IllegalStateException if some partition's leaf is missing
     */
    double[] total() {
        if (!isComplete()) {
            throw new IllegalStateException("the sum is missing partitions: it holds the nodes " + nodes.keySet()
                    + " of a tree over " + partitions);
        }
        PackedVector total = nodes.firstEntry().getValue();
        return total == null ? null : total.values();
    }

    private void insert(int level, long index, PackedVector vector) {
        while (level < rootLevel()) {
            long sibling = index ^ 1;
            if (first(level, sibling) >= partitions) {
                // the sibling covers no partition: the parent's sum is this node's, with nothing added
                level++;
                index >>= 1;
                continue;
            }
            Long siblingKey = key(level, sibling);
            if (!nodes.containsKey(siblingKey)) {
                break;
            }
            PackedVector other = nodes.remove(siblingKey);
            vector = (index & 1) == 0 ? add(vector, other) : add(other, vector);
            level++;
            index >>= 1;
        }
        if (nodes.put(key(level, index), vector) != null) {
            throw new IllegalStateException("node " + index + " of level " + level + " arrived twice");
        }
    }

    /** left + right, element by element, into left's array when it has one of doubles; null is nothing to add. */
    private static PackedVector add(PackedVector left, PackedVector right) {
        if (left == null) {
            return right;
        }
        if (right == null) {
            return left;
        }
        double[] sum = left.values();
        double[] addend = right.values();
        if (sum.length != addend.length) {
            throw new IllegalArgumentException("vectors of " + sum.length + " and " + addend.length + " values");
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = sum[i] + addend[i];
        }
        return PackedVector.ofDoubles(sum);
    }

    /** The level whose node 0 covers every partition. */
    private int rootLevel() {
        return 32 - Integer.numberOfLeadingZeros(partitions - 1);
    }

    private static long first(int level, long index) {
        return index << level;
    }

    private static long key(int level, long index) {
        return ((long) level << 32) | index;
    }

    private static int level(long key) {
        return (int) (key >>> 32);
    }

    private static long index(long key) {
        return key & 0xFFFFFFFFL;
    }
}
