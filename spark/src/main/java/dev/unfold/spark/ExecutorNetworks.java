package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The networks an executor JVM computes with, kept for the whole run: built by a
 * {@link NetworkFactory} the first time a task needs one and handed from task to task afterwards, by
 * factory ({@link #key}). A network is not thread-safe, so each task running at once borrows its own:
 * an executor with c cores builds at most c per factory. The weights a network last loaded are
 * remembered by the broadcast that sent them, so a network loads each set once.
 */
final class ExecutorNetworks {
    private ExecutorNetworks() {}

    /** A network of this JVM with the step whose weights it holds (−1: none yet). */
    static final class Lent {
        final SequenceModel network;
        long weightsOf = -1;

        private Lent(SequenceModel network) {
            this.network = network;
        }

        /** Loads the weights of {@code step} (a broadcast's id) unless this network holds them already. */
        void load(long step, PackedVector weights) {
            if (weightsOf != step) {
                weightsOf = -1;   // a load that fails half-way leaves no claim to hold any weights
                FlatWeights.load(network.parameters(), weights.values());
                weightsOf = step;
            }
        }
    }

    private static final Map<String, ConcurrentLinkedDeque<Lent>> IDLE = new ConcurrentHashMap<>();

    /**
     * The name of {@code factory}'s networks: a digest of its serialised form, so that data built with
     * the same factory (a run's training and validation data) share them, and a factory capturing other
     * values gets its own. Computed on the driver, where it also refuses a factory that cannot travel.
     */
    static String key(NetworkFactory factory) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(factory);
        } catch (IOException e) {
            throw new IllegalArgumentException("the factory cannot be sent to the executors (" + e
                    + "): give the generated constructor, UnfoldedX::new, or a lambda that captures only"
                    + " serialisable values", e);
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
    private static final Map<String, AtomicInteger> BUILT = new ConcurrentHashMap<>();

    /** An idle network named {@code name} ({@link #key}), or a new one from {@code factory}. Give it back when done. */
    static Lent borrow(String name, NetworkFactory factory) {
        Lent idle = IDLE.computeIfAbsent(name, absent -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (idle != null) {
            return idle;
        }
        BUILT.computeIfAbsent(name, absent -> new AtomicInteger()).incrementAndGet();
        return new Lent(factory.create(0));
    }

    /** Returns a borrowed network for the next task. */
    static void giveBack(String name, Lent lent) {
        IDLE.computeIfAbsent(name, absent -> new ConcurrentLinkedDeque<>()).addFirst(lent);
    }

    /** How many networks named {@code name} this JVM has built: for tests. */
    static int built(String name) {
        AtomicInteger count = BUILT.get(name);
        return count == null ? 0 : count.get();
    }

    /** Forgets the networks named {@code name} in this JVM. */
    static void forget(String name) {
        IDLE.remove(name);
        BUILT.remove(name);
    }
}
