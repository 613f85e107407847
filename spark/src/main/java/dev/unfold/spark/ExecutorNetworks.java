package dev.unfold.spark;

import dev.unfold.runtime.SequenceModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The networks an executor JVM computes with, kept for the whole run: built by the run's
 * {@link NetworkFactory} the first time a task needs one and handed from task to task afterwards. A
 * network is not thread-safe, so each task running at once borrows its own: an executor with c cores
 * builds at most c. The weights a network last loaded are remembered by the step that sent them, so
 * tasks of the same step on the same executor load them once each network.
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

        /** Loads the weights of {@code step} unless this network holds them already. */
        void load(long step, PackedVector weights) {
            if (weightsOf != step) {
                weightsOf = -1;   // a load that fails half-way leaves no claim to hold any weights
                FlatWeights.load(network.parameters(), weights.values());
                weightsOf = step;
            }
        }
    }

    private static final Map<String, ConcurrentLinkedDeque<Lent>> IDLE = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> BUILT = new ConcurrentHashMap<>();

    /** An idle network of the run {@code run}, or a new one from {@code factory}. Give it back when done. */
    static Lent borrow(String run, NetworkFactory factory) {
        Lent idle = IDLE.computeIfAbsent(run, key -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (idle != null) {
            return idle;
        }
        BUILT.computeIfAbsent(run, key -> new AtomicInteger()).incrementAndGet();
        return new Lent(factory.create(0));
    }

    /** Returns a borrowed network for the next task of the run. */
    static void giveBack(String run, Lent lent) {
        IDLE.computeIfAbsent(run, key -> new ConcurrentLinkedDeque<>()).addFirst(lent);
    }

    /** How many networks this JVM has built for the run {@code run}: for tests. */
    static int built(String run) {
        AtomicInteger count = BUILT.get(run);
        return count == null ? 0 : count.get();
    }

    /** Forgets the run's networks in this JVM. */
    static void forget(String run) {
        IDLE.remove(run);
        BUILT.remove(run);
    }
}
