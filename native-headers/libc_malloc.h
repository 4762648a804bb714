/*
 * malloc and free, for native memory an owner frees explicitly (io.reseau.internal.ffi.NativeMemory).
 *
 * glibc's malloc statistics (2.33 and later; musl has no equivalent), read by the benchmark's
 * idle-memory probe and by tests that bound native memory, not by Reseau. The Java binding is
 * the benchmark's io.reseau.cli.bench.MallocStatistics (src/test/java).
 */
#include <stddef.h>

void *malloc(size_t size);
void free(void *ptr);

struct mallinfo2 {
    size_t arena;    /* bytes obtained from the system by sbrk */
    size_t ordblks;  /* free chunks */
    size_t smblks;   /* free fastbin chunks */
    size_t hblks;    /* chunks allocated with mmap */
    size_t hblkhd;   /* bytes allocated with mmap */
    size_t usmblks;  /* always 0 */
    size_t fsmblks;  /* bytes in free fastbin chunks */
    size_t uordblks; /* bytes in allocated chunks (all arenas) */
    size_t fordblks; /* bytes in free chunks */
    size_t keepcost; /* releasable top-most bytes */
};

struct mallinfo2 mallinfo2(void);
