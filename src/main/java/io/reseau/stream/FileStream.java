package io.reseau.stream;

import io.reseau.common.IoError;
import io.reseau.common.IoErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file as a stream (aws-c-io's file stream), opened on first use so that a stream made ahead of
 * time holds no descriptor. As aws-c-io's {@code fread}/{@code fseek}: a read fills the buffer
 * unless it hits the end of the file, and only a read that hit it makes the status say so; a seek
 * clears that and may go past the end (reads there find the end), but not before the start
 * ({@link IoError#STREAM_INVALID_SEEK_POSITION}).
 */
final class FileStream extends IoInputStream {
    private final Path path;
    private FileChannel file;
    private boolean endOfFile;
    private boolean failed;
    private boolean closed;

    FileStream(Path path) {
        this.path = path;
    }

    private FileChannel file() throws IoErrorException {
        if (closed) {
            throw new IllegalStateException("the stream over " + path + " is closed");
        }
        if (file == null) {
            try {
                file = FileChannel.open(path, StandardOpenOption.READ);
            } catch (IOException e) {
                IoError error = e instanceof NoSuchFileException || e instanceof NotDirectoryException
                        ? IoError.FILE_INVALID_PATH
                        : e instanceof AccessDeniedException ? IoError.NO_PERMISSION : IoError.SYS_CALL_FAILURE;
                throw new IoErrorException(error, "cannot open " + path, e);
            }
        }
        return file;
    }

    @Override
    public void seek(long offset, SeekBasis basis) throws IoErrorException {
        FileChannel channel = file();
        try {
            long target = (basis == SeekBasis.BEGIN ? 0 : channel.size()) + offset;
            if (target >= 0) {
                channel.position(target);
                endOfFile = false;
                return;
            }
        } catch (IOException e) {
            throw new IoErrorException(IoError.STREAM_SEEK_FAILED, "cannot seek in " + path, e);
        }
        throw new IoErrorException(IoError.STREAM_INVALID_SEEK_POSITION,
                "cannot seek " + offset + " from " + basis + " in " + path);
    }

    @Override
    protected void readInto(ByteBuffer free) throws IoErrorException {
        FileChannel channel = file();
        try {
            while (free.hasRemaining()) {
                if (channel.read(free) < 0) {
                    endOfFile = true;
                    return;
                }
            }
        } catch (IOException e) {
            failed = true;
            throw new IoErrorException(IoError.STREAM_READ_FAILED, "cannot read " + path, e);
        }
    }

    @Override
    public StreamStatus status() {
        return new StreamStatus(endOfFile, !failed);
    }

    @Override
    public long length() throws IoErrorException {
        try {
            return file().size();
        } catch (IOException e) {
            throw new IoErrorException(IoError.STREAM_GET_LENGTH_FAILED, "cannot size " + path, e);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        if (file != null) {
            file.close();
        }
    }
}
