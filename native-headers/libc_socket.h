/*
 * BSD socket calls and address structures Reseau makes through FFM (Linux).
 * Written from these: io.reseau.internal.ffi.SocketCalls and SocketAddresses.
 */
#include <stdint.h>
#include <sys/types.h>

typedef unsigned int   socklen_t;
typedef unsigned short sa_family_t;

struct sockaddr {
    sa_family_t sa_family;
    char        sa_data[14];
};

struct in_addr { uint32_t s_addr; };          /* network byte order */

struct sockaddr_in {                           /* 16 bytes */
    sa_family_t    sin_family;
    uint16_t       sin_port;                   /* network byte order */
    struct in_addr sin_addr;
    unsigned char  sin_zero[8];
};

struct in6_addr { unsigned char s6_addr[16]; };

struct sockaddr_in6 {                          /* 28 bytes */
    sa_family_t     sin6_family;
    uint16_t        sin6_port;                 /* network byte order */
    uint32_t        sin6_flowinfo;
    struct in6_addr sin6_addr;
    uint32_t        sin6_scope_id;
};

struct sockaddr_un {                           /* 110 bytes */
    sa_family_t sun_family;
    char        sun_path[108];
};

struct sockaddr_storage {                      /* 128 bytes, 8-aligned */
    sa_family_t ss_family;
    char        __ss_padding[118];
    unsigned long __ss_align;
};

struct linger { int l_onoff; int l_linger; };

int     socket(int domain, int type, int protocol);
int     bind(int fd, const struct sockaddr *addr, socklen_t len);
int     listen(int fd, int backlog);
int     accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags);
int     connect(int fd, const struct sockaddr *addr, socklen_t len);
ssize_t send(int fd, const void *buf, size_t len, int flags);
ssize_t recv(int fd, void *buf, size_t len, int flags);
/* Only as ioctl(fd, FIONREAD, &int): the bytes received and not yet read. */
#define FIONREAD 0x541B
int     ioctl(int fd, unsigned long request, ...);
int     shutdown(int fd, int how);
int     setsockopt(int fd, int level, int name, const void *value, socklen_t len);
int     getsockopt(int fd, int level, int name, void *value, socklen_t *len);
int     getsockname(int fd, struct sockaddr *addr, socklen_t *len);
int     getpeername(int fd, struct sockaddr *addr, socklen_t *len);

#define AF_UNSPEC 0
#define AF_UNIX   1
#define AF_INET   2
#define AF_INET6  10

#define SOCK_STREAM   1
#define SOCK_DGRAM    2
#define SOCK_NONBLOCK 04000
#define SOCK_CLOEXEC  02000000

#define SOL_SOCKET   1
#define IPPROTO_IP   0
#define IPPROTO_TCP  6
#define IPPROTO_UDP  17
#define IPPROTO_IPV6 41

#define SO_REUSEADDR    2
#define SO_ERROR        4
#define SO_KEEPALIVE    9
#define SO_SNDBUF       7
#define SO_RCVBUF       8
#define SO_LINGER       13
#define SO_REUSEPORT    15
#define SO_BINDTODEVICE 25
#define SO_INCOMING_NAPI_ID 56   /* read-only; kernels with busy polling (CONFIG_NET_RX_BUSY_POLL) */
#define IPV6_V6ONLY     26
#define IPV6_TCLASS     67
#define IP_TOS          1

#define TCP_NODELAY   1
#define TCP_KEEPIDLE  4
#define TCP_KEEPINTVL 5
#define TCP_KEEPCNT   6
#define TCP_QUICKACK  12

#define MSG_PEEK     0x2
#define MSG_DONTWAIT 0x40
#define MSG_NOSIGNAL 0x4000

#define SHUT_RD   0
#define SHUT_WR   1
#define SHUT_RDWR 2

/* Address text and interfaces (<arpa/inet.h>, <net/if.h>). */
int          inet_pton(int af, const char *src, void *dst);   /* 1 parsed, 0 not an address */
unsigned int if_nametoindex(const char *ifname);              /* 0: no such interface */
#define IFNAMSIZ 16

/* Gathered sends with MSG_NOSIGNAL (writev has no flags). */
struct msghdr {                /* 56 bytes on LP64 */
    void         *msg_name;
    socklen_t     msg_namelen;
    struct iovec *msg_iov;     /* offset 16 */
    size_t        msg_iovlen;  /* offset 24 */
    void         *msg_control;
    size_t        msg_controllen;
    int           msg_flags;
};
ssize_t sendmsg(int fd, const struct msghdr *message, int flags);
