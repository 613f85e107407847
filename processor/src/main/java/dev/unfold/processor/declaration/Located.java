package dev.unfold.processor.declaration;

/** A value the user wrote (or a default), with the place to point at if it is wrong. */
public record Located<T>(T value, Anchor anchor) {}
