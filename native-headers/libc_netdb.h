/*
 * Host name resolution (<netdb.h>, glibc and musl on LP64 Linux).
 * Written from these: io.reseau.internal.ffi.AddressInfo, NameInfo. getaddrinfo and getnameinfo
 * block: they are only ever called on the resolver's platform threads (or a platform caller's).
 */
#include <sys/socket.h>

struct addrinfo {                /* 48 bytes */
    int              ai_flags;
    int              ai_family;
    int              ai_socktype;
    int              ai_protocol;
    socklen_t        ai_addrlen;
    struct sockaddr *ai_addr;    /* offset 24 */
    char            *ai_canonname;
    struct addrinfo *ai_next;    /* offset 40 */
};

int         getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res);
void        freeaddrinfo(struct addrinfo *res);
int         getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
                        char *serv, socklen_t servlen, int flags);

#define AI_V4MAPPED 0x0008
#define AI_ALL      0x0010
#define NI_NAMEREQD 8
#define NI_MAXHOST  1025

#define EAI_NONAME  -2
#define EAI_AGAIN   -3
#define EAI_FAIL    -4
#define EAI_MEMORY  -10
#define EAI_SERVICE -8
