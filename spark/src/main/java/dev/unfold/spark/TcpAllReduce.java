package dev.unfold.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.spark.BarrierTaskContext;

/**
 * The sum of one vector per barrier task, handed to every task, over plain TCP between the tasks of
 * one barrier stage: a reduce-scatter then an all-gather. The vector is cut into one chunk per task;
 * task r receives chunk r of every other task's vector, adds the chunks in {@link TreeSum}'s fixed
 * order, and sends its summed chunk to every other task. Each element is therefore the same sum of the
 * same operands in the same order as {@code TreeSum} over the whole vectors gives: every task gets the
 * same bits, which are {@link SparkMinibatches}' for the same vectors.
 *
 * <p>Each task sends and receives 2(P − 1)/P vectors' worth per sum, as a ring all-reduce does,
 * whatever the number of tasks P; the exchange runs in P − 1 rounds, round k sending to task r + k
 * while receiving from task r − k (a sender thread keeps both directions moving, so no pair of tasks
 * waits on each other).
 *
 * <p>The rendezvous is Spark's: each task listens on an ephemeral port of its executor's address and
 * says where through {@link BarrierTaskContext#allGather}; task r then connects to every task below
 * it. It costs up to a second: Spark 4.1's {@code allGather} checks every 1000 ms whether the others
 * have arrived ({@code Thread.sleep(1000)} in {@code BarrierTaskContext.runBarrier}), which is why it
 * serves once per stage here and never per step. A stage of one task skips it.
 */
final class TcpAllReduce implements Closeable {
    private static final int HAS_VECTOR = 1;
    private static final int NO_VECTOR = 0;

    private final int rank;
    private final int tasks;
    private final int length;
    /** The connection to task s at index s (null at this task's own index). */
    private final SocketChannel[] peers;
    private final ByteBuffer[] sendBuffers;
    private final ByteBuffer[] receiveBuffers;
    private final ExecutorService sender;

    private TcpAllReduce(int rank, int tasks, int length, SocketChannel[] peers) {
        this.rank = rank;
        this.tasks = tasks;
        this.length = length;
        this.peers = peers;
        this.sendBuffers = new ByteBuffer[tasks];
        this.receiveBuffers = new ByteBuffer[tasks];
        int largestChunk = (length + tasks - 1) / tasks;
        for (int s = 0; s < tasks; s++) {
            if (peers[s] != null) {
                sendBuffers[s] = ByteBuffer.allocateDirect(Integer.BYTES + Double.BYTES * largestChunk);
                receiveBuffers[s] = ByteBuffer.allocateDirect(Integer.BYTES + Double.BYTES * largestChunk);
            }
        }
        this.sender = tasks == 1 ? null : Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "unfold all-reduce sender of task " + rank);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Connects the tasks of the current barrier stage, for vectors of {@code length} values. */
    static TcpAllReduce connect(BarrierTaskContext context, int length) {
        int rank = context.partitionId();
        return connect(rank, context.getTaskInfos().length, hostOf(context.getTaskInfos()[rank].address()),
                context::allGather, length);
    }

    /**
     * Connects task {@code rank} of {@code tasks}, listening on {@code host}; {@code allGather} gives
     * every task's message, in rank order, once every task has sent its own (the barrier stage's, or a
     * test's).
     */
    static TcpAllReduce connect(int rank, int tasks, String host, Function<String, String[]> allGather, int length) {
        SocketChannel[] peers = new SocketChannel[tasks];
        if (tasks == 1) {
            return new TcpAllReduce(0, 1, length, peers);   // nothing to connect, nor to wait for
        }
        try (ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(host, 0), tasks)) {
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            String[] addresses = allGather.apply(host + ":" + port);
            for (int s = 0; s < rank; s++) {
                int colon = addresses[s].lastIndexOf(':');
                SocketChannel channel = SocketChannel.open(new InetSocketAddress(addresses[s].substring(0, colon),
                        Integer.parseInt(addresses[s].substring(colon + 1))));
                writeFully(channel, ByteBuffer.allocate(Integer.BYTES).putInt(rank).flip());
                peers[s] = configured(channel);
            }
            for (int accepted = rank + 1; accepted < tasks; accepted++) {
                SocketChannel channel = server.accept();
                ByteBuffer said = ByteBuffer.allocate(Integer.BYTES);
                readFully(channel, said);
                int peer = said.flip().getInt();
                if (peer <= rank || peer >= tasks || peers[peer] != null) {
                    throw new IllegalStateException("task " + rank + " of " + tasks + " was reached by a task that says"
                            + " it is " + peer + ", expected one above " + rank + " not yet connected");
                }
                peers[peer] = configured(channel);
            }
            return new TcpAllReduce(rank, tasks, length, peers);
        } catch (IOException e) {
            for (SocketChannel peer : peers) {
                closeQuietly(peer);
            }
            throw new UncheckedIOException("barrier task " + rank + " of " + tasks + " could not connect to the others", e);
        }
    }

    private static SocketChannel configured(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
    }

    private static String hostOf(String address) {
        int colon = address.lastIndexOf(':');
        return colon < 0 ? address : address.substring(0, colon);
    }

    /**
     * Every task's {@code vector} (null: nothing to add) summed in {@link TreeSum}'s order; every task
     * gets the same total, null when no task had a vector. Blocks until all tasks have called it.
     */
    double[] sum(double[] vector) {
        if (vector != null && vector.length != length) {
            throw new IllegalArgumentException("the vector has " + vector.length + " values, expected " + length);
        }
        if (tasks == 1) {
            return vector;
        }
        try {
            double[] own = sumOwnChunk(vector);
            return gatherChunks(own);
        } catch (IOException e) {
            throw new UncheckedIOException("barrier task " + rank + " of " + tasks + " lost a connection", e);
        }
    }

    /** Reduce-scatter: chunk {@code rank} of every task's vector, summed tree-wise. */
    private double[] sumOwnChunk(double[] vector) throws IOException {
        TreeSum sum = TreeSum.leaf(tasks, rank, vector == null ? null : chunk(vector, rank));
        for (int k = 1; k < tasks; k++) {
            int to = (rank + k) % tasks;
            int from = (rank - k + tasks) % tasks;
            Future<?> sent = send(to, vector == null ? null : vector, from(to), chunkLength(to));
            sum.merge(TreeSum.leaf(tasks, from, receive(from, chunkLength(rank))));
            await(sent);
        }
        return sum.total();
    }

    /** All-gather: this task's summed chunk to every other task, theirs into the total. */
    private double[] gatherChunks(double[] own) throws IOException {
        double[] total = own == null ? null : new double[length];
        if (own != null) {
            System.arraycopy(own, 0, total, from(rank), own.length);
        }
        for (int k = 1; k < tasks; k++) {
            int to = (rank + k) % tasks;
            int from = (rank - k + tasks) % tasks;
            Future<?> sent = send(to, own, 0, own == null ? 0 : own.length);
            double[] theirs = receive(from, chunkLength(from));
            await(sent);
            if ((theirs == null) != (total == null)) {
                throw new IllegalStateException("task " + from + " summed " + (theirs == null ? "nothing" : "a chunk")
                        + " where task " + rank + " summed " + (total == null ? "nothing" : "a chunk"));
            }
            if (theirs != null) {
                System.arraycopy(theirs, 0, total, from(from), theirs.length);
            }
        }
        return total;
    }

    /** Where chunk {@code chunk} starts. */
    private int from(int chunk) {
        return (int) ((long) length * chunk / tasks);
    }

    private int chunkLength(int chunk) {
        return from(chunk + 1) - from(chunk);
    }

    private double[] chunk(double[] vector, int chunk) {
        double[] values = new double[chunkLength(chunk)];
        System.arraycopy(vector, from(chunk), values, 0, values.length);
        return values;
    }

    /** Sends {@code count} values of {@code values} from {@code offset} (null: none) to task {@code to}, on the sender thread. */
    private Future<?> send(int to, double[] values, int offset, int count) {
        return sender.submit(() -> {
            ByteBuffer buffer = sendBuffers[to].clear();
            buffer.putInt(values == null ? NO_VECTOR : HAS_VECTOR);
            if (values != null) {
                buffer.asDoubleBuffer().put(values, offset, count);
                buffer.position(buffer.position() + Double.BYTES * count);
            }
            writeFully(peers[to], buffer.flip());
            return null;
        });
    }

    private double[] receive(int from, int count) throws IOException {
        ByteBuffer buffer = receiveBuffers[from].clear().limit(Integer.BYTES);
        readFully(peers[from], buffer);
        if (buffer.flip().getInt() == NO_VECTOR) {
            return null;
        }
        buffer.clear().limit(Double.BYTES * count);
        readFully(peers[from], buffer);
        double[] values = new double[count];
        buffer.flip().asDoubleBuffer().get(values);
        return values;
    }

    private void await(Future<?> sent) throws IOException {
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to another task", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private static void writeFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the other task closed the connection");
            }
        }
    }

    @Override
    public void close() {
        if (sender != null) {
            sender.shutdownNow();
        }
        for (SocketChannel peer : peers) {
            closeQuietly(peer);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing after the work is done, or after a failure already reported: nothing left to lose
            }
        }
    }
}
