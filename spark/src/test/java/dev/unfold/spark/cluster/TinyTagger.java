package dev.unfold.spark.cluster;

import dev.unfold.Cell;
import dev.unfold.Loss;
import dev.unfold.Network;
import dev.unfold.Recurrent;
import dev.unfold.runtime.Classifier;
import dev.unfold.runtime.Layer;

/** A small LSTM tagger whose generated class {@code UnfoldedTinyTagger} the cluster's executors must load from {@code spark.jars}. */
@Network(input = 5, output = 3, loss = Loss.CROSS_ENTROPY)
public interface TinyTagger extends Classifier {
    @Recurrent(hidden = 8, cell = Cell.LSTM)
    Layer lstm();
}
