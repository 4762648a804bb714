package io.reseau.channel;

import io.reseau.eventloop.Task;
import io.reseau.eventloop.TaskFunction;
import io.reseau.eventloop.TaskStatus;
import java.util.Objects;

/**
 * A task bound to a channel's life (aws-c-io's {@code aws_channel_task}): it runs with
 * {@link TaskStatus#CANCELED} when the channel shuts down before it, and at once as cancelled when
 * scheduled on a channel that is already shut down. Reusable once it has run.
 */
public final class ChannelTask {
    final String name;
    final TaskFunction function;
    final Task loopTask;
    Channel channel;
    boolean timed;
    long timeNanos;
    // Links in the channel's list of pending tasks (loop thread only).
    ChannelTask previous;
    ChannelTask next;
    boolean pending;

    public ChannelTask(String name, TaskFunction function) {
        this.name = Objects.requireNonNull(name, "name");
        this.function = Objects.requireNonNull(function, "function");
        this.loopTask = new Task(name, this::runOnLoop);
    }

    public String name() {
        return name;
    }

    private void runOnLoop(TaskStatus status) {
        channel.runTask(this, status);
    }

    @Override
    public String toString() {
        return "ChannelTask[" + name + "]";
    }
}
