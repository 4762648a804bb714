package io.reseau.dns;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * An unmodifiable list of two arrays one after the other, each read round from its own start:
 * a host's answer without copying its addresses.
 */
final class RotatedList<T> extends AbstractList<T> implements RandomAccess {
    private final T[] first;
    private final int firstStart;
    private final T[] second;
    private final int secondStart;

    RotatedList(T[] first, int firstStart, T[] second, int secondStart) {
        this.first = first;
        this.firstStart = firstStart;
        this.second = second;
        this.secondStart = secondStart;
    }

    @Override
    public T get(int index) {
        if (index < 0 || index >= size()) {
            throw new IndexOutOfBoundsException(index);
        }
        return index < first.length
                ? first[(firstStart + index) % first.length]
                : second[(secondStart + index - first.length) % second.length];
    }

    @Override
    public int size() {
        return first.length + second.length;
    }
}
