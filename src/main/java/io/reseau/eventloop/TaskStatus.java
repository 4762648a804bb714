package io.reseau.eventloop;

/** Why a task runs: its time came, or it was cancelled (then it runs once, at once). */
public enum TaskStatus {
    RUN_READY,
    CANCELED
}
