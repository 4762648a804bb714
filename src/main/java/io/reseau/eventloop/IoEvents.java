package io.reseau.eventloop;

import java.util.StringJoiner;

/**
 * The I/O event bits an {@link IoEventListener} receives (aws-c-io's values). Only
 * {@link #READABLE} and {@link #WRITABLE} can be subscribed to; hang-ups, closure and errors are
 * always delivered.
 */
public final class IoEvents {
    public static final int READABLE = 1;
    public static final int WRITABLE = 2;
    public static final int REMOTE_HANG_UP = 4;
    public static final int CLOSED = 8;
    public static final int ERROR = 16;

    private IoEvents() {}

    /** "READABLE|REMOTE_HANG_UP", for logs and assertion messages. */
    public static String toString(int events) {
        StringJoiner names = new StringJoiner("|");
        String[] all = {"READABLE", "WRITABLE", "REMOTE_HANG_UP", "CLOSED", "ERROR"};
        for (int bit = 0; bit < all.length; bit++) {
            if ((events & (1 << bit)) != 0) {
                names.add(all[bit]);
            }
        }
        return names.length() == 0 ? "NONE" : names.toString();
    }
}
