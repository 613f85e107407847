package dev.unfold.processor.plan;

/**
 * One parameter tensor: its public name and shape, the fields that alias its value and gradient
 * arrays, and the bound of its uniform initialisation.
 *
 * @param name the public name, for example {@code rnn.weight_hh}
 * @param symbol the symbol of equations.md, for comments: {@code W_hh}, {@code V}
 * @param rowsConstant the constant naming the row count, for readable shapes
 * @param columnsConstant the constant naming the column count ("1" for biases)
 * @param initFanConstant the constant whose inverse square root bounds the initial values
 * @param vector whether the tensor is one-dimensional (a bias, PyTorch shape [rows])
 */
public record ParameterPlan(
        String name,
        String symbol,
        int rows,
        int columns,
        String rowsConstant,
        String columnsConstant,
        String valueField,
        String gradientField,
        String initFanConstant,
        boolean vector) {}
