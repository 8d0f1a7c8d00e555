/*
 * linkcheck.c: visit a link with libcurl and say whether it still works.
 *
 * The URL comes from a writer, so the check must not become a way into
 * the hub's own network: libcurl never resolves a name itself.  Each hop
 * is parsed with libcurl's URL parser, its host resolved here, every
 * address checked against the policy, and the easy handle pinned to
 * those addresses with CURLOPT_RESOLVE; the open-socket callback checks
 * the address once more before any connection.  Redirects are followed
 * here rather than by libcurl, so that each one goes through the same
 * steps.  The whole check shares one deadline; a body is read only by
 * the GET fallback, and never past max_bytes.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "linkcheck.h"
#include "log.h"
#include "util.h"

/* The most addresses of one host handed to libcurl. */
#define MAX_ADDRS	8

static const char *const status_names[LINKCHECK__MAX] = {
	[LINKCHECK_OK] = "ok",
	[LINKCHECK_DEAD] = "dead",
	[LINKCHECK_UNREACHABLE] = "unreachable",
	[LINKCHECK_REFUSED] = "refused",
	[LINKCHECK_TOO_BIG] = "too big",
};

static const char *const addr_names[LINKCHECK_ADDR__MAX] = {
	[LINKCHECK_ADDR_PUBLIC] = "public",
	[LINKCHECK_ADDR_LOOPBACK] = "loopback",
	[LINKCHECK_ADDR_PRIVATE] = "private",
	[LINKCHECK_ADDR_LINKLOCAL] = "link-local",
	[LINKCHECK_ADDR_MULTICAST] = "multicast",
	[LINKCHECK_ADDR_UNSPECIFIED] = "unspecified",
	[LINKCHECK_ADDR_RESERVED] = "reserved",
};

void
linkcheck_defaults(struct linkcheck_opts *o)
{
	o->connect_timeout_ms = 5000;
	o->timeout_ms = 15000;
	o->max_bytes = 1024 * 1024;
	o->max_redirects = 5;
	o->allow = 0;
	o->user_agent = "Chapterhouse-linkcheck/1";
}

const char *
linkcheck_status_name(enum linkcheck_status s)
{
	return (unsigned)s < LINKCHECK__MAX ? status_names[s] : "unknown";
}

const char *
linkcheck_addr_name(enum linkcheck_addr a)
{
	return (unsigned)a < LINKCHECK_ADDR__MAX ? addr_names[a] : "unknown";
}

/* The class of the IPv4 address a (host byte order). */
static enum linkcheck_addr
class4(uint32_t a)
{
	static const struct {
		uint32_t		 net, mask;
		enum linkcheck_addr	 cls;
	} nets[] = {
		{ 0x00000000, 0xff000000, LINKCHECK_ADDR_UNSPECIFIED },
		{ 0x0a000000, 0xff000000, LINKCHECK_ADDR_PRIVATE },
		{ 0x64400000, 0xffc00000, LINKCHECK_ADDR_PRIVATE },
		{ 0x7f000000, 0xff000000, LINKCHECK_ADDR_LOOPBACK },
		{ 0xa9fe0000, 0xffff0000, LINKCHECK_ADDR_LINKLOCAL },
		{ 0xac100000, 0xfff00000, LINKCHECK_ADDR_PRIVATE },
		{ 0xc0000000, 0xffffff00, LINKCHECK_ADDR_RESERVED },
		{ 0xc0000200, 0xffffff00, LINKCHECK_ADDR_RESERVED },
		{ 0xc0a80000, 0xffff0000, LINKCHECK_ADDR_PRIVATE },
		{ 0xc6120000, 0xfffe0000, LINKCHECK_ADDR_RESERVED },
		{ 0xc6336400, 0xffffff00, LINKCHECK_ADDR_RESERVED },
		{ 0xcb007100, 0xffffff00, LINKCHECK_ADDR_RESERVED },
		{ 0xe0000000, 0xf0000000, LINKCHECK_ADDR_MULTICAST },
		{ 0xf0000000, 0xf0000000, LINKCHECK_ADDR_RESERVED },
	};
	size_t	 i;

	for (i = 0; i < NELEM(nets); i++)
		if ((a & nets[i].mask) == nets[i].net)
			return nets[i].cls;
	return LINKCHECK_ADDR_PUBLIC;
}

/* The IPv4 address in the four bytes at p. */
static uint32_t
v4_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

/* The class of the IPv6 address b (16 bytes). */
static enum linkcheck_addr
class6(const uint8_t *b)
{
	static const uint8_t	 zero[16], mapped[12] = { [10] = 0xff,
	    [11] = 0xff }, nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	static const uint8_t	 one[16] = { [15] = 1 };

	if (memcmp(b, zero, 16) == 0)
		return LINKCHECK_ADDR_UNSPECIFIED;
	if (memcmp(b, one, 16) == 0)
		return LINKCHECK_ADDR_LOOPBACK;
	if (memcmp(b, mapped, 12) == 0 || memcmp(b, nat64, 12) == 0)
		return class4(v4_at(b + 12));
	if (b[0] == 0x20 && b[1] == 0x02)		/* 6to4 */
		return class4(v4_at(b + 2));
	if (memcmp(b, zero, 12) == 0)			/* IPv4-compatible */
		return LINKCHECK_ADDR_RESERVED;
	if ((b[0] & 0xfe) == 0xfc)			/* fc00::/7 */
		return LINKCHECK_ADDR_PRIVATE;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)	/* fe80::/10 */
		return LINKCHECK_ADDR_LINKLOCAL;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)	/* fec0::/10 */
		return LINKCHECK_ADDR_PRIVATE;
	if (b[0] == 0xff)
		return LINKCHECK_ADDR_MULTICAST;
	if ((b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) ||
	    (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) ||
	    (b[0] == 0x01 && b[1] == 0 && memcmp(b + 2, zero, 6) == 0) ||
	    (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b &&
	    b[4] == 0 && b[5] == 1))
		return LINKCHECK_ADDR_RESERVED;	/* doc, Teredo, discard,
						   NAT64 */
	return LINKCHECK_ADDR_PUBLIC;
}

enum linkcheck_addr
linkcheck_addr_class(const struct sockaddr *sa)
{
	const struct sockaddr_in	*s4;
	const struct sockaddr_in6	*s6;

	if (sa->sa_family == AF_INET) {
		s4 = (const struct sockaddr_in *)(const void *)sa;
		return class4(ntohl(s4->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		s6 = (const struct sockaddr_in6 *)(const void *)sa;
		return class6(s6->sin6_addr.s6_addr);
	}
	return LINKCHECK_ADDR_RESERVED;
}

int
linkcheck_addr_allowed(const struct sockaddr *sa, unsigned int allow)
{
	enum linkcheck_addr	 c = linkcheck_addr_class(sa);

	if (c == LINKCHECK_ADDR_PUBLIC)
		return 1;
	if (c == LINKCHECK_ADDR_LOOPBACK)
		return (allow & (LINKCHECK_ALLOW_LOOPBACK |
		    LINKCHECK_ALLOW_PRIVATE)) != 0;
	return (allow & LINKCHECK_ALLOW_PRIVATE) != 0;
}

/* Set res and return 1: the one way a check ends. */
__attribute__((format(printf, 3, 4)))
static int
done(struct linkcheck_result *res, enum linkcheck_status st,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	res->status = st;
	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
	for (p = res->reason; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return 1;
}

/* One hop's target: the URL for libcurl and the pinned addresses. */
struct hop {
	char			*url;		/* curl_free() */
	struct curl_slist	*resolve;
	char			 host[256];
};

/* What the callbacks of one request share. */
struct xfer {
	unsigned int	 allow;
	int		 refused;	/* a socket to a disallowed address */
	size_t		 bytes, max;
	int		 too_big;
};

/* CURLOPT_OPENSOCKETFUNCTION: the last look at an address. */
static curl_socket_t
open_cb(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct xfer	*x = arg;

	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !linkcheck_addr_allowed(&a->addr, x->allow)) {
		x->refused = 1;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype, a->protocol);
}

/* CURLOPT_WRITEFUNCTION: count the body, stop past the cap. */
static size_t
write_cb(char *p, size_t size, size_t nmemb, void *arg)
{
	struct xfer	*x = arg;
	size_t		 n = size * nmemb;

	(void)p;
	x->bytes += n;
	if (x->bytes > x->max) {
		x->too_big = 1;
		return 0;
	}
	return n;
}

/*
 * Resolve the host of h and pin it.  Returns 1, or 0 with res set
 * (a name that does not resolve, a disallowed address).
 */
static int
hop_resolve(struct hop *h, const char *port, unsigned int allow,
    struct linkcheck_result *res)
{
	struct addrinfo		 hints, *ai = NULL, *p;
	char			 name[INET6_ADDRSTRLEN], entry[512];
	char			 host[256];
	size_t			 o, n = 0;
	enum linkcheck_addr	 c;
	int			 rc, literal = 0;

	snprintf(host, sizeof(host), "%s", h->host);
	if (host[0] == '[') {		/* an IPv6 literal */
		literal = 1;
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]%")] = '\0';
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		return !done(res, LINKCHECK_UNREACHABLE,
		    "could not resolve %s: %s", host, gai_strerror(rc));
	o = (size_t)snprintf(entry, sizeof(entry), "%s:%s:", h->host, port);
	for (p = ai; p != NULL; p = p->ai_next) {
		if (p->ai_family != AF_INET && p->ai_family != AF_INET6)
			continue;
		if (getnameinfo(p->ai_addr, p->ai_addrlen, name, sizeof(name),
		    NULL, 0, NI_NUMERICHOST) != 0)
			snprintf(name, sizeof(name), "an address");
		if (!linkcheck_addr_allowed(p->ai_addr, allow)) {
			c = linkcheck_addr_class(p->ai_addr);
			freeaddrinfo(ai);
			return !done(res, LINKCHECK_REFUSED,
			    "%s is not a public address (%s)", name,
			    linkcheck_addr_name(c));
		}
		if (n < MAX_ADDRS && o < sizeof(entry) - 64 &&
		    strchr(name, ' ') == NULL) {
			o += (size_t)snprintf(entry + o, sizeof(entry) - o,
			    p->ai_family == AF_INET6 ? "%s[%s]" : "%s%s",
			    n ? "," : "", name);
			n++;
		}
	}
	freeaddrinfo(ai);
	if (n == 0)
		return !done(res, LINKCHECK_UNREACHABLE,
		    "%s has no IP address", host);
	if (inet_pton(AF_INET, host, name) == 1)
		literal = 1;
	if (!literal)
		h->resolve = curl_slist_append(NULL, entry);
	return 1;
}

/*
 * Parse url into h: only http and https, with a host.  Returns 1, or 0
 * with res set.
 */
static int
hop_parse(struct hop *h, const char *url, unsigned int allow,
    struct linkcheck_result *res)
{
	CURLU		*u;
	char		*scheme = NULL, *host = NULL, *port = NULL;
	unsigned int	 fl = 0;
	size_t		 n;
	int		 ok = 0;

#ifdef CURLU_PUNYCODE
	fl = CURLU_PUNYCODE;
#endif
	n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789+.-");
	if (n > 0 && url[n] == ':' && !(n == 4 &&
	    strncasecmp(url, "http", 4) == 0) && !(n == 5 &&
	    strncasecmp(url, "https", 5) == 0)) {
		return !done(res, LINKCHECK_REFUSED,
		    "only http and https links are checked, not %.*s:",
		    (int)(n < 20 ? n : 20), url);
	}
	if ((u = curl_url()) == NULL) {
		fprintf(stderr, "curl_url: out of memory\n");
		abort();
	}
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	    CURLUE_OK || curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) !=
	    CURLUE_OK) {
		done(res, LINKCHECK_UNREACHABLE, "not a valid URL");
		goto out;
	}
	if (strcasecmp(scheme, "http") != 0 && strcasecmp(scheme, "https")) {
		done(res, LINKCHECK_REFUSED,
		    "only http and https links are checked, not %s:", scheme);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, fl) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) !=
	    CURLUE_OK || curl_url_get(u, CURLUPART_URL, &h->url, fl) !=
	    CURLUE_OK || strlen(host) >= sizeof(h->host)) {
		done(res, LINKCHECK_UNREACHABLE, "not a valid host");
		goto out;
	}
	snprintf(h->host, sizeof(h->host), "%s", host);
	ok = hop_resolve(h, port, allow, res);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return ok;
}

/* One request of a hop: status, redirect target, libcurl's verdict. */
struct answer {
	CURLcode	 rc;
	long		 status;
	char		*location;	/* free() */
	int		 refused, too_big;
	char		 err[CURL_ERROR_SIZE];
};

/*
 * Send one HEAD (get 0) or GET (get 1) for h within the deadline.
 * Returns 1 with a filled, or -1 when libcurl cannot be set up.
 */
static int
request(const struct hop *h, int get, const struct linkcheck_opts *o,
    long long deadline, struct answer *a)
{
	CURL		*c;
	struct xfer	 x;
	char		*loc = NULL;
	long long	 left = (deadline - now_usec()) / 1000;

	memset(a, 0, sizeof(*a));
	memset(&x, 0, sizeof(x));
	x.allow = o->allow;
	x.max = o->max_bytes;
	if ((c = curl_easy_init()) == NULL) {
		log_error("could not create a libcurl handle");
		return -1;
	}
	curl_easy_setopt(c, CURLOPT_URL, h->url);
	if (h->resolve != NULL)
		curl_easy_setopt(c, CURLOPT_RESOLVE, h->resolve);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(c, CURLOPT_PROTOCOLS,
	    CURLPROTO_HTTP | CURLPROTO_HTTPS);
#endif
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, left > 1 ? (long)left : 1L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
	curl_easy_setopt(c, CURLOPT_NOBODY, get ? 0L : 1L);
	if (get)
		curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
		    (curl_off_t)o->max_bytes);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETFUNCTION, open_cb);
	curl_easy_setopt(c, CURLOPT_OPENSOCKETDATA, &x);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, a->err);
	a->rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a->status);
	if (curl_easy_getinfo(c, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK &&
	    loc != NULL)
		a->location = xstrdup(loc);
	a->refused = x.refused;
	a->too_big = x.too_big || a->rc == CURLE_FILESIZE_EXCEEDED;
	curl_easy_cleanup(c);
	return 1;
}

/* Whether a HEAD answer is worth a GET: an error or a broken answer. */
static int
want_get(const struct answer *a)
{
	if (a->rc == CURLE_OK)
		return a->status >= 400;
	return a->rc == CURLE_GOT_NOTHING || a->rc == CURLE_RECV_ERROR ||
	    a->rc == CURLE_WEIRD_SERVER_REPLY ||
	    a->rc == CURLE_PARTIAL_FILE;
}

/*
 * Judge an answer.  Returns 1 when res is final, 0 when *next was set
 * to the redirect's target (the caller frees it).
 */
static int
judge(struct answer *a, const struct linkcheck_opts *o,
    struct linkcheck_result *res, char **next)
{
	res->http_status = a->status;
	if (a->refused)
		return done(res, LINKCHECK_REFUSED,
		    "a connection to a disallowed address");
	if (a->too_big)
		return done(res, LINKCHECK_TOO_BIG, "more than %zu bytes",
		    o->max_bytes);
	if (a->rc == CURLE_OPERATION_TIMEDOUT)
		return done(res, LINKCHECK_UNREACHABLE, "timed out");
	if (a->rc != CURLE_OK)
		return done(res, LINKCHECK_UNREACHABLE, "%s",
		    a->err[0] ? a->err : curl_easy_strerror(a->rc));
	if (a->status >= 200 && a->status < 300)
		return done(res, LINKCHECK_OK, "HTTP %ld", a->status);
	if (a->status >= 300 && a->status < 400 && a->location != NULL) {
		*next = a->location;
		a->location = NULL;
		return 0;
	}
	return done(res, LINKCHECK_DEAD, "HTTP %ld", a->status);
}

int
linkcheck_url(const char *url, const struct linkcheck_opts *o,
    struct linkcheck_result *res)
{
	struct hop	 h;
	struct answer	 a;
	char		*cur = xstrdup(url), *next;
	long long	 deadline = now_usec() +
			    (long long)o->timeout_ms * 1000;
	int		 rc = 1, fin = 0;

	memset(res, 0, sizeof(*res));
	while (!fin) {
		memset(&h, 0, sizeof(h));
		next = NULL;
		if (!hop_parse(&h, cur, o->allow, res))
			fin = 1;
		else if ((rc = request(&h, 0, o, deadline, &a)) < 0)
			fin = 1;
		else if (want_get(&a)) {
			free(a.location);
			if ((rc = request(&h, 1, o, deadline, &a)) < 0)
				fin = 1;
		}
		if (!fin) {
			fin = judge(&a, o, res, &next);
			free(a.location);
		}
		curl_free(h.url);
		curl_slist_free_all(h.resolve);
		free(cur);
		cur = next;
		if (!fin && res->redirects == o->max_redirects)
			fin = done(res, LINKCHECK_UNREACHABLE,
			    "more than %d redirects", o->max_redirects);
		else if (!fin)
			res->redirects++;
	}
	free(cur);
	return rc;
}
