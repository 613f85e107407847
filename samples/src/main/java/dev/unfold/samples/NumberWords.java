package dev.unfold.samples;

import java.util.ArrayList;
import java.util.List;

/**
 * English names of the numbers 0 to 999, word by word: the captions of {@code ./unfold caption}.
 * Tokens are the words below, then the start and end tokens.
 */
final class NumberWords {
    static final List<String> WORDS = List.of("zero", "one", "two", "three", "four", "five", "six", "seven",
            "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
            "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
            "hundred");
    /** Constants, as the network's declaration needs them: the words' count, then the two tokens after them. */
    static final int START = 29;
    static final int END = 30;
    static final int TOKENS = 31;

    private NumberWords() {}

    /** The words of {@code n}, as tokens: 412 → four hundred twelve. */
    static int[] caption(int n) {
        if (n < 0 || n > 999) {
            throw new IllegalArgumentException("the numbers are 0 to 999, got " + n);
        }
        List<Integer> words = new ArrayList<>();
        int hundreds = n / 100;
        int rest = n % 100;
        if (hundreds > 0) {
            words.add(hundreds);
            words.add(WORDS.indexOf("hundred"));
        }
        if (rest >= 20) {
            words.add(WORDS.indexOf("twenty") + rest / 10 - 2);
            if (rest % 10 > 0) {
                words.add(rest % 10);
            }
        } else if (rest > 0 || hundreds == 0) {
            words.add(rest);
        }
        return words.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The vector the network reads for {@code n}: its three digits, one-hot each. */
    static double[] vector(int n) {
        double[] vector = new double[CaptionModels.VECTOR];
        vector[n / 100] = 1;
        vector[10 + n / 10 % 10] = 1;
        vector[20 + n % 10] = 1;
        return vector;
    }

    static String text(int[] tokens) {
        StringBuilder text = new StringBuilder();
        for (int token : tokens) {
            text.append(text.length() > 0 ? " " : "").append(token < WORDS.size() ? WORDS.get(token) : "?");
        }
        return text.toString();
    }
}
