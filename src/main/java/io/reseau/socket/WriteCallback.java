package io.reseau.socket;

import io.reseau.common.IoError;

/** Told, always in a later task than the write, how a write ended. */
@FunctionalInterface
public interface WriteCallback {
    /**
     * @param error null when every byte was written
     * @param bytesWritten bytes that reached the kernel
     * @param context what was given to {@link Socket#write}
     */
    void onWriteCompleted(Socket socket, IoError error, long bytesWritten, Object context);
}
