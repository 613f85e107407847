package dev.unfold.runtime.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * {@link BatchOperations} on two cores: a large product's output rows are split in two, the second
 * half computed by a helper thread while the caller computes the first. Every output row is still
 * computed by one thread with the same loops, so the results are those of one core, bit for bit,
 * whichever thread computes them.
 *
 * <p>The float products split the same way, through the same helper and the same fields' float
 * twins.
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

    /** Which product the posted half is. */
    private enum Posted { PRODUCT, OUTER_PRODUCTS, FLOAT_PRODUCT, FLOAT_OUTER_PRODUCTS }

    // The posted half: written by the caller before it increments `posted`.
    private Posted kind;
    private double[] w;
    private float[] floatW;
    private int offset;
    private int outputStride;
    private int reduceStride;
    private int outputs;
    private int reduce;
    private double[][] x;
    private float[][] floatX;
    private int xRow;
    private double[][] out;
    private float[][] floatOut;
    private int outRow;
    private double[][] d;
    private float[][] floatD;
    private int dRow;
    private int dStride;
    private int xStride;
    private int steps;
    private int columns;
    private double[] gradient;
    private float[] floatGradient;
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
        int half = firstHalf(outputs);
        if (!claimHelper((long) outputs * reduce * lanes, half)) {
            products.multiplyAdd(w, offset, outputStride, reduceStride, outputs, reduce, x, xRow, out, outRow, lanes);
            return;
        }
        try {
            this.kind = Posted.PRODUCT;
            this.w = w;
            this.x = x;
            this.out = out;
            postProduct(offset, outputStride, reduceStride, outputs, reduce, xRow, outRow, lanes, half);
            products.multiplyAdd(w, offset, outputStride, reduceStride, half, reduce, x, xRow, out, outRow, lanes);
            await();
        } finally {
            release();
        }
    }

    @Override
    public void multiplyAdd(float[] w, int offset, int outputStride, int reduceStride, int outputs, int reduce,
                            float[][] x, int xRow, float[][] out, int outRow, int lanes) {
        int half = firstHalf(outputs);
        if (!claimHelper((long) outputs * reduce * lanes, half)) {
            products.multiplyAdd(w, offset, outputStride, reduceStride, outputs, reduce, x, xRow, out, outRow, lanes);
            return;
        }
        try {
            this.kind = Posted.FLOAT_PRODUCT;
            this.floatW = w;
            this.floatX = x;
            this.floatOut = out;
            postProduct(offset, outputStride, reduceStride, outputs, reduce, xRow, outRow, lanes, half);
            products.multiplyAdd(w, offset, outputStride, reduceStride, half, reduce, x, xRow, out, outRow, lanes);
            await();
        } finally {
            release();
        }
    }

    /** Posts the second half of a product, whose arrays are in place, for the helper. */
    private void postProduct(int offset, int outputStride, int reduceStride, int outputs, int reduce, int xRow,
                             int outRow, int lanes, int half) {
        this.offset = offset + half * outputStride;
        this.outputStride = outputStride;
        this.reduceStride = reduceStride;
        this.outputs = outputs - half;
        this.reduce = reduce;
        this.xRow = xRow;
        this.outRow = outRow + half;
        this.lanes = lanes;
        post();
    }

    @Override
    public void addOuterProducts(double[][] d, int dRow, int dStride, double[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, double[] gradient, int gradientOffset, int lanes) {
        int half = firstHalf(rows);
        if (!claimHelper((long) rows * columns * steps * lanes, half)) {
            products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient,
                    gradientOffset, lanes);
            return;
        }
        try {
            this.kind = Posted.OUTER_PRODUCTS;
            this.d = d;
            this.x = x;
            this.gradient = gradient;
            postOuterProducts(dRow, dStride, xRow, xStride, steps, rows, columns, gradientOffset, lanes, half);
            products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, half, columns, gradient,
                    gradientOffset, lanes);
            await();
        } finally {
            release();
        }
    }

    @Override
    public void addOuterProducts(float[][] d, int dRow, int dStride, float[][] x, int xRow, int xStride, int steps,
                                 int rows, int columns, float[] gradient, int gradientOffset, int lanes) {
        int half = firstHalf(rows);
        if (!claimHelper((long) rows * columns * steps * lanes, half)) {
            products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, rows, columns, gradient,
                    gradientOffset, lanes);
            return;
        }
        try {
            this.kind = Posted.FLOAT_OUTER_PRODUCTS;
            this.floatD = d;
            this.floatX = x;
            this.floatGradient = gradient;
            postOuterProducts(dRow, dStride, xRow, xStride, steps, rows, columns, gradientOffset, lanes, half);
            products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, half, columns, gradient,
                    gradientOffset, lanes);
            await();
        } finally {
            release();
        }
    }

    /** Posts the gradient rows from {@code half} on, whose arrays are in place, for the helper. */
    private void postOuterProducts(int dRow, int dStride, int xRow, int xStride, int steps, int rows, int columns,
                                   int gradientOffset, int lanes, int half) {
        this.dRow = dRow + half;
        this.dStride = dStride;
        this.xRow = xRow;
        this.xStride = xStride;
        this.steps = steps;
        this.outputs = rows - half;
        this.columns = columns;
        this.gradientOffset = gradientOffset + half * columns;
        this.lanes = lanes;
        post();
    }

    /** The caller's share of {@code outputs} rows: whole blocks of four rows on each side. */
    private static int firstHalf(int outputs) {
        return outputs / 8 * 4;
    }

    /**
     * Whether the product is large enough to split and the helper is free, which it then holds
     * until {@link #release}.
     */
    private boolean claimHelper(long work, int half) {
        return work >= MINIMUM_WORK && half != 0 && claimed.compareAndSet(false, true);
    }

    /** One sequence's product is microseconds of work: less than a hand-over costs. */
    @Override
    public void addMatrixVector(double[] w, int rows, int columns, double[] x, int xOffset, double[] sums) {
        products.addMatrixVector(w, rows, columns, x, xOffset, sums);
    }

    /** An activation is one pass over its rows: memory-bound, and short. */
    @Override
    public void sigmoid(double[][] rows, int from, int count, int lanes) {
        products.sigmoid(rows, from, count, lanes);
    }

    @Override
    public void tanh(double[][] rows, int from, double[][] into, int intoRow, int count, int lanes) {
        products.tanh(rows, from, into, intoRow, count, lanes);
    }

    @Override
    public void sigmoid(float[][] rows, int from, int count, int lanes) {
        products.sigmoid(rows, from, count, lanes);
    }

    @Override
    public void tanh(float[][] rows, int from, float[][] into, int intoRow, int count, int lanes) {
        products.tanh(rows, from, into, intoRow, count, lanes);
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
        floatW = null;
        floatX = null;
        floatOut = null;
        floatD = null;
        floatGradient = null;
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
                computePostedHalf();
            } catch (RuntimeException e) {
                failure = e;
            }
            finished = seen;
        }
    }

    private void computePostedHalf() {
        switch (kind) {
            case PRODUCT -> products.multiplyAdd(w, offset, outputStride, reduceStride, outputs, reduce, x, xRow,
                    out, outRow, lanes);
            case OUTER_PRODUCTS -> products.addOuterProducts(d, dRow, dStride, x, xRow, xStride, steps, outputs,
                    columns, gradient, gradientOffset, lanes);
            case FLOAT_PRODUCT -> products.multiplyAdd(floatW, offset, outputStride, reduceStride, outputs, reduce,
                    floatX, xRow, floatOut, outRow, lanes);
            case FLOAT_OUTER_PRODUCTS -> products.addOuterProducts(floatD, dRow, dStride, floatX, xRow, xStride,
                    steps, outputs, columns, floatGradient, gradientOffset, lanes);
        }
    }
}
