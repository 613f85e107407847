package dev.unfold.processor.validate;

import dev.unfold.processor.declaration.Anchor;

/**
 * One thing wrong with a declaration: a stable id users can search for, a message that names the
 * fix, and the place to point at.
 */
public record Problem(String id, String message, Anchor anchor) {

    /** The message as the compiler shows it, id first: {@code [UnfoldHiddenSize] hidden must be ...}. */
    public String text() {
        return "[" + id + "] " + message;
    }
}
