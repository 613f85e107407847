package dev.unfold.runtime;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A network's parameters by name, in a fixed order (layers in declaration order, then the output). */
public final class Parameters implements Iterable<Parameter> {
    private final List<Parameter> ordered;
    private final Map<String, Parameter> byName;

    public Parameters(List<Parameter> parameters) {
        this.ordered = List.copyOf(parameters);
        Map<String, Parameter> names = new LinkedHashMap<>();
        for (Parameter parameter : ordered) {
            if (names.put(parameter.name(), parameter) != null) {
                throw new IllegalArgumentException("two parameters are named " + parameter.name());
            }
        }
        this.byName = Collections.unmodifiableMap(names);
    }

    /** The parameter called {@code name}; an {@link IllegalArgumentException} listing the names if none is. */
    public Parameter get(String name) {
        Parameter parameter = byName.get(name);
        if (parameter == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; the names are " + byName.keySet());
        }
        return parameter;
    }

    /** Whether a parameter is called {@code name}. */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /** The parameter at {@code index} in the fixed order; indexed loops allocate no iterator. */
    public Parameter get(int index) {
        return ordered.get(index);
    }

    /** Sets every gradient to zero, as before accumulating the next batch. Allocates nothing. */
    public void zeroGradients() {
        for (int p = 0, n = ordered.size(); p < n; p++) {
            Parameter parameter = ordered.get(p);
            Arrays.fill(parameter.gradient().data, 0, parameter.size(), 0.0);
        }
    }

    /** The parameters whose names start with {@code prefix}, sharing their matrices with these. */
    public Parameters withPrefix(String prefix) {
        List<Parameter> selected = new ArrayList<>();
        for (Parameter parameter : ordered) {
            if (parameter.name().startsWith(prefix)) {
                selected.add(parameter);
            }
        }
        return new Parameters(selected);
    }

    /** Number of tensors. */
    public int size() {
        return ordered.size();
    }

    /** Number of scalars over all tensors. */
    public int count() {
        int count = 0;
        for (Parameter parameter : ordered) {
            count += parameter.size();
        }
        return count;
    }

    /** The names, in order. */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    @Override
    public Iterator<Parameter> iterator() {
        return ordered.iterator();
    }

    @Override
    public String toString() {
        return ordered.toString();
    }
}
