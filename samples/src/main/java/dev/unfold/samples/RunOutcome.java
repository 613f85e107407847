package dev.unfold.samples;

/**
 * How one run ended.
 *
 * @param task the task
 * @param contender the network and its training
 * @param length the sequence length T
 * @param metric the test score of the final weights (lower is better), or NaN if training diverged
 * @param divergedAtStep the optimizer step whose gradient was not finite, or 0 if none was
 * @param log the run's history, over every session that trained it
 * @param start whether this session trained it from scratch, resumed it, or found it finished
 * @param seconds the time this session spent on it
 */
record RunOutcome(MemoryTask task, Contender contender, int length, double metric, long divergedAtStep, RunLog log,
                  Start start, double seconds) {

    /** How this session found the run on disk. */
    enum Start {
        /** No checkpoint: trained from the first update. */
        NEW,
        /** A checkpoint partway: trained from the update after it. */
        RESUMED,
        /** A checkpoint of the last epoch, or a note that it diverged: nothing left to train. */
        DONE_BEFORE
    }

    boolean diverged() {
        return divergedAtStep > 0;
    }

    boolean succeeded() {
        return !diverged() && task.succeeded(metric);
    }

    /** The table's cell: "✓ 0.0123", "✗ 0.1667" or "diverged at step 812". */
    String cell() {
        if (diverged()) {
            return "diverged at step " + divergedAtStep;
        }
        return (succeeded() ? "✓ " : "✗ ") + task.format(metric);
    }
}
