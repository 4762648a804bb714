package io.reseau.eventloop;

/** An intrusive FIFO of tasks: O(1) append, take-first and removal from the middle (cancel). */
final class TaskList {
    private Task head;
    private Task tail;

    boolean isEmpty() {
        return head == null;
    }

    void addLast(Task task) {
        task.list = this;
        task.previous = tail;
        task.next = null;
        if (tail == null) {
            head = task;
        } else {
            tail.next = task;
        }
        tail = task;
    }

    Task pollFirst() {
        Task first = head;
        if (first != null) {
            remove(first);
        }
        return first;
    }

    void remove(Task task) {
        if (task.previous == null) {
            head = task.next;
        } else {
            task.previous.next = task.next;
        }
        if (task.next == null) {
            tail = task.previous;
        } else {
            task.next.previous = task.previous;
        }
        task.list = null;
        task.previous = null;
        task.next = null;
    }

    /** Moves every task of {@code other}, in order, to the end of this list. */
    void takeAll(TaskList other) {
        for (Task task = other.pollFirst(); task != null; task = other.pollFirst()) {
            addLast(task);
        }
    }
}
