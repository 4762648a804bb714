/*
 * File-descriptor calls Reseau makes through FFM (Linux, glibc or musl).
 * The Java bindings in io.reseau.internal.ffi.Libc are written from these
 * declarations; jextract.sh generates jextract's view of them.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* struct iovec, as <sys/uio.h> defines it on LP64 Linux. */
struct iovec {
    void  *iov_base;
    size_t iov_len;
};

ssize_t read(int fd, void *buf, size_t count);
ssize_t write(int fd, const void *buf, size_t count);
ssize_t readv(int fd, const struct iovec *iov, int iovcnt);
ssize_t writev(int fd, const struct iovec *iov, int iovcnt);
int     close(int fd);
int     fcntl(int fd, int cmd, ...);   /* called with one int argument */
int     pipe2(int pipefd[2], int flags);

typedef uint64_t eventfd_t;
int     eventfd(unsigned int initval, int flags);
int     eventfd_read(int fd, eventfd_t *value);
int     eventfd_write(int fd, eventfd_t value);

int     setenv(const char *name, const char *value, int overwrite);

/* Lets another runnable thread have this processor: what a spinning virtual thread's carrier calls. */
int     sched_yield(void);

/* The calling thread's errno, which a callback sets before it returns -1 to native code. */
int    *__errno_location(void);

/* Values on Linux (x86_64 and aarch64 agree on all of these). */
#define F_GETFL      3
#define F_SETFL      4
#define F_GETFD      1
#define F_SETFD      2
#define FD_CLOEXEC   1
#define O_NONBLOCK   04000
#define O_CLOEXEC    02000000
#define EFD_NONBLOCK O_NONBLOCK
#define EFD_CLOEXEC  O_CLOEXEC
