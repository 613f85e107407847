package dev.unfold.runtime.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link BatchOperations} on two cores: a large product's output rows are split in two, the second
 * half computed by a helper thread while the caller computes the first. Every output row is still
 * computed by one thread with the same loops, so the results are those of one core, bit for bit,
 * whichever thread computes them.
 *
 * <p>Handing over allocates nothing: the product's arguments go into fields, published by a
 * volatile counter the helper spins on (and, after a while idle, parks on). One helper serves the
 * whole JVM; a product that finds it busy with another thread's work runs on its caller alone.
 */
final class TwoCoreOperations implements BatchOperations {
    /** Below this many multiply-adds the hand-over costs more than half the product saves. */
    private static final long MINIMUM_WORK = 1 << 16;
    /** How long the helper spins for the next product before it parks, in nanoseconds. */
    private static final long SPIN_NANOS = 100_000;

    private final BatchOperations products;
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final Thread helper;

    // The posted half: written by the caller before it increments `posted`.
    private boolean outer;
    private double[] w;
    private int offset;
    private int outputStride;
    private int reduceStride;
    private int outputs;
    private int reduce;
    private double[][] x;
    private int xRow;
    private double[][] out;
    private int outRow;
    private double[][] d;
    private int dRow;
    private int dStride;
    private int xStride;
    private int steps;
    private int columns;
    private double[] gradient;
    private int gradientOffset;
    private int lanes;

    private volatile int posted;
    private volatile int finished;
    private volatile boolean parked;
    private volatile RuntimeException failure;

    TwoCoreOperations(BatchOperations products) {
        this.products = products;
        this.helper = new Thread(this::serve, "unfold-second-core");
        helper.setDaemon(true);
        helper.start();
    }

    @Override
    public void multiplyAdd(double[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            double[][] x, int xRow, double[][] out, int outRow, int lanes) {
        int half = outputs / 8 * 4; // whole blocks of four rows on each side
        if ((long) outputs * reduce * lanes < MINIMUM_WORK || half == 0 || !claimed.compareAndSet(false, true)) {
            products.multiplyAdd(w, offset, outputStride, reduceStride, outputs, reduce, x, xRow, out, outRow, lanes);
            return;
        }
        try {
            this.outer = false;
            this.w = w;
            this.offset = offset + half * outputStride;
            this.outputStride = outputStride;
            this.reduceStride = reduceStride;
            this.outputs = outputs - half;
            this.reduce = reduce;
            this.x = x;
            this.xRow = xRow;
            this.out = out;
            this.outRow = outRow + half;
            this.lanes = lanes;
            post();
            products.multiplyAdd(w, offset, outputStride, reduceStride, half, reduce, x, xRow, out, outRow, lanes);
            await();
        } finally {
            release();
        }
    }

    @Override
    public void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, double[] gradient, int gradientOffset, int lanes) {
        int half = rows / 8 * 4;
        if ((long) rows * columns * steps * lanes < MINIMUM_WORK || half == 0 || !claimed.compareAndSet(false, true)) {
            products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient,
                    gradientOffset, lanes);
            return;
        }
        try {
            this.outer = true;
            this.d = d;
            this.dRow = dRow + half;
            this.dStride = dStride;
            this.x = x;
            this.xRow = xRow;
            this.xStride = xStride;
            this.steps = steps;
            this.outputs = rows - half;
            this.columns = columns;
            this.gradient = gradient;
            this.gradientOffset = gradientOffset + half * columns;
            this.lanes = lanes;
            post();
            products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, half, columns, gradient,
                    gradientOffset, lanes);
            await();
        } finally {
            release();
        }
    }

    /** One sequence's product is microseconds of work: less than a hand-over costs. */
    @Override
    public void addMatrixVector(double[] w, int rows, int columns, double[] x, int xOffset, double[] sums) {
        products.addMatrixVector(w, rows, columns, x, xOffset, sums);
    }

    private void post() {
        posted = posted + 1; // only the thread holding `claimed` writes it
        if (parked) {
            LockSupport.unpark(helper);
        }
    }

    private void await() {
        int target = posted;
        while (finished != target) {
            Thread.onSpinWait();
        }
        RuntimeException thrown = failure;
        if (thrown != null) {
            failure = null;
            throw thrown;
        }
    }

    /** Drops the references to the caller's arrays, so that the helper keeps nothing alive. */
    private void release() {
        w = null;
        x = null;
        out = null;
        d = null;
        gradient = null;
        claimed.set(false);
    }

    private void serve() {
        int seen = 0;
        while (true) {
            long idleSince = System.nanoTime();
            while (posted == seen) {
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                if (posted == seen) {
                    LockSupport.park(this);
                }
                parked = false;
                idleSince = System.nanoTime();
            }
            seen = posted;
            try {
                if (outer) {
                    products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, outputs, columns, gradient,
                            gradientOffset, lanes);
                } else {
                    products.multiplyAdd(w, offset, outputStride, reduceStride, outputs, reduce, x, xRow, out, outRow,
                            lanes);
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            finished = seen;
        }
    }
}
