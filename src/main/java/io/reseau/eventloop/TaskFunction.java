package io.reseau.eventloop;

/** The body of a {@link Task}. */
@FunctionalInterface
public interface TaskFunction {
    void run(TaskStatus status);
}
