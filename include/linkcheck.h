/*
 * linkcheck.h: check that a link in a draft still leads somewhere, for
 * the job worker (never from a request).
 */
#ifndef LINKCHECK_H
#define LINKCHECK_H

#include <stddef.h>

struct sockaddr;

/* Addresses a check may visit besides public ones (tests, intranets). */
#define LINKCHECK_ALLOW_LOOPBACK	0x01	/* 127.0.0.0/8, ::1 */
#define LINKCHECK_ALLOW_PRIVATE		0x02	/* every other non-public one */

struct linkcheck_opts {
	long		 connect_timeout_ms;	/* each connection */
	long		 timeout_ms;		/* the whole check, all hops */
	size_t		 max_bytes;		/* of a body read by GET */
	int		 max_redirects;
	unsigned int	 allow;			/* LINKCHECK_ALLOW_* */
	const char	*user_agent;
};

/*
 * The defaults: connect 5 s, 15 s in all, 1 MiB, 5 redirects, public
 * addresses only, "Chapterhouse-linkcheck/1".
 */
void	linkcheck_defaults(struct linkcheck_opts *);

enum linkcheck_status {
	LINKCHECK_OK,		/* a 2xx answer at the end */
	LINKCHECK_DEAD,		/* an HTTP error status (http_status) */
	LINKCHECK_UNREACHABLE,	/* no answer: DNS, connection, TLS, timeout,
				   too many redirects, a malformed URL */
	LINKCHECK_REFUSED,	/* a hop leads to a disallowed address or to
				   a scheme other than http and https */
	LINKCHECK_TOO_BIG,	/* the body read by GET passed max_bytes */
	LINKCHECK__MAX
};

struct linkcheck_result {
	enum linkcheck_status	 status;
	long			 http_status;	/* the last one, or 0 */
	int			 redirects;	/* followed */
	char			 reason[256];	/* short, one line, English */
};

/* "ok", "dead", "unreachable", "refused", "too big". */
const char	*linkcheck_status_name(enum linkcheck_status);

/* How an address is reached, as far as the policy goes. */
enum linkcheck_addr {
	LINKCHECK_ADDR_PUBLIC,
	LINKCHECK_ADDR_LOOPBACK,	/* 127/8, ::1 */
	LINKCHECK_ADDR_PRIVATE,		/* 10/8, 172.16/12, 192.168/16,
					   100.64/10, fc00::/7, fec0::/10 */
	LINKCHECK_ADDR_LINKLOCAL,	/* 169.254/16, fe80::/10 */
	LINKCHECK_ADDR_MULTICAST,	/* 224/4, ff00::/8 */
	LINKCHECK_ADDR_UNSPECIFIED,	/* 0/8, :: */
	LINKCHECK_ADDR_RESERVED,	/* documentation, benchmarking,
					   240/4, broadcast, IETF, Teredo,
					   IPv4-compatible, other families */
	LINKCHECK_ADDR__MAX
};

/*
 * The class of an IPv4 or IPv6 address.  An IPv6 address that embeds an
 * IPv4 one (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4
 * 2002::/16) has the class of the IPv4 address inside it.
 */
enum linkcheck_addr	 linkcheck_addr_class(const struct sockaddr *);

/* A short English name of the class ("loopback"...). */
const char	*linkcheck_addr_name(enum linkcheck_addr);

/* 1 when allow (LINKCHECK_ALLOW_*) lets a check connect to sa, else 0. */
int	 linkcheck_addr_allowed(const struct sockaddr *sa, unsigned int allow);

/*
 * Check url: HEAD, and GET when HEAD gets an error status or no proper
 * answer; redirects followed by hand up to max_redirects, each hop
 * checked like the first.  For each hop the host is resolved here,
 * every address it has must be allowed, and libcurl is pinned to them
 * (CURLOPT_RESOLVE), with every socket it opens checked again, so a
 * name that changes its answer between the two looks cannot lead the
 * check anywhere else.  No proxy from the environment is used.  Needs
 * curl_global_init() done.  Fills res and returns 1, or returns -1
 * (logged) when libcurl cannot be set up.
 */
int	 linkcheck_url(const char *url, const struct linkcheck_opts *,
	    struct linkcheck_result *res);

#endif
