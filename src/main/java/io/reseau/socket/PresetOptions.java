package io.reseau.socket;

import io.reseau.common.IoErrorException;
import java.net.SocketOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What was set on a socket before it connected, in order, so that a sibling for another attempt
 * of a connection race ({@link Socket#openSibling}) is set the same way: the last value of each
 * option, the last setting going last, and SO_OOBINLINE.
 */
final class PresetOptions {
    private final Map<SocketOption<?>, Object> options = new LinkedHashMap<>();
    private Boolean outOfBandInline; // null: never set

    void record(SocketOption<?> option, Object value) {
        options.remove(option);
        options.put(option, value);
    }

    void recordOutOfBandInline(boolean inline) {
        outOfBandInline = inline;
    }

    /** Sets everything recorded on {@code sibling}, in the order it was set here. */
    void applyTo(Socket sibling) throws IoErrorException {
        for (Map.Entry<SocketOption<?>, Object> preset : options.entrySet()) {
            set(sibling, preset.getKey(), preset.getValue());
        }
        if (outOfBandInline != null) {
            sibling.setOutOfBandInline(outOfBandInline);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void set(Socket sibling, SocketOption<T> option, Object value) throws IoErrorException {
        sibling.setOption(option, (T) value);
    }
}
