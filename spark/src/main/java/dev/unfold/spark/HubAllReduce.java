package dev.unfold.spark;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.apache.spark.BarrierTaskContext;

/**
 * The sum of one vector per barrier task, computed once and handed to every task, over plain TCP
 * between the tasks of one barrier stage: each task sends its vector to task 0, which adds them in
 * {@link TreeSum}'s fixed order and sends the total back. Every task therefore gets the same bits,
 * which are the bits {@link SparkMinibatches}' driver-side sum gives for the same vectors.
 *
 * <p>The rendezvous is Spark's: task 0 listens on an ephemeral port of its executor's address and
 * tells the others through {@link BarrierTaskContext#allGather}; the others connect and say their
 * rank. A gather to one task and a broadcast moves 2(P − 1) vectors through task 0, where a ring
 * moves about 2 vectors' worth through each task; with the one or two executors measured here the two
 * are the same, and the fixed order of the sum is simplest to keep at one place (see the analysis in
 * benchmarks/ANALYSIS.md for larger clusters).
 *
 * <p>The rendezvous costs up to a second: Spark 4.1's {@code BarrierTaskContext.allGather} checks
 * every 1000 ms whether the others have arrived ({@code Thread.sleep(1000)} in its
 * {@code runBarrier}), which is why it serves once per stage here and never per step. A stage of one
 * task skips it.
 *
 * <p>Each connection keeps one byte buffer of the vector's size for the whole stage.
 */
final class HubAllReduce implements Closeable {
    private static final int HAS_VECTOR = 1;
    private static final int NO_VECTOR = 0;

    private final int rank;
    private final int tasks;
    private final int length;
    /** Task 0: the connection from task r at index r (index 0 unused). Other tasks: task 0's at index 0. */
    private final SocketChannel[] peers;
    private final ByteBuffer[] buffers;
    private final ServerSocketChannel server;

    private HubAllReduce(int rank, int tasks, int length, SocketChannel[] peers, ServerSocketChannel server) {
        this.rank = rank;
        this.tasks = tasks;
        this.length = length;
        this.peers = peers;
        this.server = server;
        this.buffers = new ByteBuffer[peers.length];
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] != null) {
                buffers[i] = ByteBuffer.allocateDirect(Integer.BYTES + Double.BYTES * length);
            }
        }
    }

    /** Connects the tasks of the current barrier stage, for vectors of {@code length} values. */
    static HubAllReduce connect(BarrierTaskContext context, int length) {
        int rank = context.partitionId();
        int tasks = context.getTaskInfos().length;
        if (tasks == 1) {
            return new HubAllReduce(0, 1, length, new SocketChannel[1], null);   // nothing to connect, nor to wait for
        }
        try {
            if (rank == 0) {
                String host = hostOf(context.getTaskInfos()[0].address());
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(host, 0), tasks);
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                context.allGather(host + ":" + port);
                SocketChannel[] peers = new SocketChannel[tasks];
                for (int i = 1; i < tasks; i++) {
                    SocketChannel peer = server.accept();
                    peer.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    ByteBuffer said = ByteBuffer.allocate(Integer.BYTES);
                    readFully(peer, said);
                    int peerRank = said.flip().getInt();
                    if (peerRank < 1 || peerRank >= tasks || peers[peerRank] != null) {
                        throw new IllegalStateException("task 0 of " + tasks + " was reached by a task that says it is "
                                + peerRank);
                    }
                    peers[peerRank] = peer;
                }
                return new HubAllReduce(0, tasks, length, peers, server);
            }
            String[] addresses = context.allGather("");
            String hub = addresses[0];
            int colon = hub.lastIndexOf(':');
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(hub.substring(0, colon),
                    Integer.parseInt(hub.substring(colon + 1))));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            writeFully(channel, ByteBuffer.allocate(Integer.BYTES).putInt(rank).flip());
            return new HubAllReduce(rank, tasks, length, new SocketChannel[] {channel}, null);
        } catch (IOException e) {
            throw new UncheckedIOException("barrier task " + rank + " of " + tasks + " could not connect to task 0", e);
        }
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
        try {
            return rank == 0 ? gatherAndSend(vector) : sendAndReceive(vector);
        } catch (IOException e) {
            throw new UncheckedIOException("barrier task " + rank + " of " + tasks + " lost its connection", e);
        }
    }

    private double[] gatherAndSend(double[] own) throws IOException {
        TreeSum sum = TreeSum.leaf(tasks, 0, own);
        for (int r = 1; r < tasks; r++) {
            sum.merge(TreeSum.leaf(tasks, r, receive(peers[r], buffers[r])));
        }
        double[] total = sum.total();
        for (int r = 1; r < tasks; r++) {
            send(peers[r], buffers[r], total);
        }
        return total;
    }

    private double[] sendAndReceive(double[] own) throws IOException {
        send(peers[0], buffers[0], own);
        return receive(peers[0], buffers[0]);
    }

    private void send(SocketChannel channel, ByteBuffer buffer, double[] vector) throws IOException {
        buffer.clear();
        buffer.putInt(vector == null ? NO_VECTOR : HAS_VECTOR);
        if (vector != null) {
            buffer.asDoubleBuffer().put(vector);
            buffer.position(buffer.position() + Double.BYTES * vector.length);
        }
        writeFully(channel, buffer.flip());
    }

    private double[] receive(SocketChannel channel, ByteBuffer buffer) throws IOException {
        buffer.clear().limit(Integer.BYTES);
        readFully(channel, buffer);
        if (buffer.flip().getInt() == NO_VECTOR) {
            return null;
        }
        buffer.clear().limit(Double.BYTES * length);
        readFully(channel, buffer);
        double[] vector = new double[length];
        buffer.flip().asDoubleBuffer().get(vector);
        return vector;
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
        for (SocketChannel peer : peers) {
            closeQuietly(peer);
        }
        closeQuietly(server);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (IOException ignored) {
                // closing after the work is done: nothing left to lose
            }
        }
    }
}
