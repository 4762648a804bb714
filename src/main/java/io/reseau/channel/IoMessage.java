package io.reseau.channel;

import java.lang.foreign.MemorySegment;

/**
 * A message travelling through a channel (aws-c-io's {@code aws_io_message}): a pooled native
 * buffer, the number of bytes it holds, and, for writes, what to call once the bytes reach the
 * socket. Messages belong to their event loop's {@link MessagePool}; whoever owns one either
 * passes it on with {@link ChannelSlot#sendMessage} or gives it back with {@link #release()}.
 * Loop thread only.
 */
public final class IoMessage {
    /** {@link #tag()} of ordinary data. */
    public static final int TAG_APPLICATION_DATA = 0;
    /** {@link #tag()} of the message a TLS handler sends downstream to announce the ALPN protocol. */
    public static final int TAG_TLS_NEGOTIATED_PROTOCOL = 1;
    /**
     * {@link #tag()} of an empty read message announcing the peer's end of stream while the channel
     * stays open for writing (a half-close). A Reseau addition: aws-c-io shuts the channel down instead.
     */
    public static final int TAG_END_OF_STREAM = 2;

    private final MessagePool pool;
    final MessageSlab slab; // where the buffer lives; guarded by the pool's lock
    private final MemorySegment buffer;
    private int capacity;
    private int length;
    private int copyMark;
    private int tag;
    private WriteCompletion completion;
    private Object completionContext;
    private Channel owningChannel;
    boolean pooled = true;

    IoMessage(MessagePool pool, MessageSlab slab, MemorySegment buffer) {
        this.pool = pool;
        this.slab = slab;
        this.buffer = buffer;
    }

    /** The whole buffer; bytes {@code [0, length())} are the message, {@code [0, capacity())} may be written. */
    public MemorySegment buffer() {
        return buffer;
    }

    public int capacity() {
        return capacity;
    }

    public int length() {
        return length;
    }

    public void setLength(int length) {
        if (length < 0 || length > capacity) {
            throw new IndexOutOfBoundsException("length " + length + " outside [0, " + capacity + "]");
        }
        this.length = length;
    }

    /** Room left after the data: {@code capacity() - length()}. */
    public int remaining() {
        return capacity - length;
    }

    /** Bytes of this message already consumed by a handler that processes it in parts. */
    public int copyMark() {
        return copyMark;
    }

    public void setCopyMark(int copyMark) {
        if (copyMark < 0 || copyMark > length) {
            throw new IndexOutOfBoundsException("copy mark " + copyMark + " outside [0, " + length + "]");
        }
        this.copyMark = copyMark;
    }

    /** What the data is: {@link #TAG_APPLICATION_DATA} unless a handler says otherwise. */
    public int tag() {
        return tag;
    }

    public void setTag(int tag) {
        this.tag = tag;
    }

    /**
     * Called by the socket handler once this message has been written whole (error null) or has
     * failed; {@code context} is handed back with it. The completion is a long-lived object, so
     * writing allocates nothing per message.
     */
    public void onCompletion(WriteCompletion completion, Object context) {
        this.completion = completion;
        this.completionContext = context;
    }

    public WriteCompletion completion() {
        return completion;
    }

    public Object completionContext() {
        return completionContext;
    }

    public Channel owningChannel() {
        return owningChannel;
    }

    /** Gives the message back to its pool; it must not be touched afterwards. */
    public void release() {
        pool.release(this);
    }

    void prepare(int capacity, Channel channel) {
        this.capacity = capacity;
        this.owningChannel = channel;
        this.length = 0;
        this.copyMark = 0;
        this.tag = TAG_APPLICATION_DATA;
        this.completion = null;
        this.completionContext = null;
        this.pooled = false;
    }

    @Override
    public String toString() {
        return "IoMessage[" + length + "/" + capacity + " bytes" + (tag == 0 ? "" : ", tag " + tag) + "]";
    }
}
