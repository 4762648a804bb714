/*
 * epoll, as the event loop uses it (Linux). Written from these:
 * io.reseau.internal.ffi.Epoll.
 */
#include <stdint.h>

typedef union epoll_data {
    void    *ptr;
    int      fd;
    uint32_t u32;
    uint64_t u64;
} epoll_data_t;

/* The kernel ABI packs this struct on x86_64 (12 bytes); elsewhere it is
 * naturally aligned (16 bytes). */
struct epoll_event {
    uint32_t     events;
    epoll_data_t data;
}
#if defined(__x86_64__)
__attribute__((packed))
#endif
;

int epoll_create1(int flags);
int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event);
int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout);

#define EPOLL_CLOEXEC 02000000
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define EPOLLIN    0x001
#define EPOLLOUT   0x004
#define EPOLLERR   0x008
#define EPOLLHUP   0x010
#define EPOLLRDHUP 0x2000
#define EPOLLET    (1u << 31)
