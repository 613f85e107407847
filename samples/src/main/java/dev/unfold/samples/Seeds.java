package dev.unfold.samples;

/** Seeds derived from other seeds, so that streams meant to be independent do not overlap. */
final class Seeds {
    private Seeds() {}

    /**
     * A seed for the pair (a, b), through SplitMix64's finaliser: nearby pairs such as (e, 31) and
     * (e + 1, 0) give unrelated seeds, which a plain a·k + b would not guarantee.
     */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
