/*
 * t_linkcheck.c: the link checker's address policy, and checks against
 * a small HTTP server this test forks on 127.0.0.1 (loopback only):
 * HEAD and the GET fallback, dead links, redirects re-checked hop by
 * hop, the size cap, the deadline, and addresses refused before any
 * connection is made.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "linkcheck.h"
#include "tap.h"
#include "util.h"

static int	port;
static int	conns[2];	/* the server writes a byte per connection */

/* The class of the address in text. */
static enum linkcheck_addr
cls(const char *text)
{
	struct sockaddr_in	 s4;
	struct sockaddr_in6	 s6;

	memset(&s4, 0, sizeof(s4));
	memset(&s6, 0, sizeof(s6));
	if (inet_pton(AF_INET, text, &s4.sin_addr) == 1) {
		s4.sin_family = AF_INET;
		return linkcheck_addr_class((struct sockaddr *)&s4);
	}
	if (inet_pton(AF_INET6, text, &s6.sin6_addr) == 1) {
		s6.sin6_family = AF_INET6;
		return linkcheck_addr_class((struct sockaddr *)&s6);
	}
	return LINKCHECK_ADDR__MAX;
}

static void
test_policy(void)
{
	static const struct {
		const char		*addr;
		enum linkcheck_addr	 want;
	} t[] = {
		{ "8.8.8.8", LINKCHECK_ADDR_PUBLIC },
		{ "172.32.0.1", LINKCHECK_ADDR_PUBLIC },
		{ "127.0.0.1", LINKCHECK_ADDR_LOOPBACK },
		{ "127.255.0.9", LINKCHECK_ADDR_LOOPBACK },
		{ "10.1.2.3", LINKCHECK_ADDR_PRIVATE },
		{ "172.16.5.4", LINKCHECK_ADDR_PRIVATE },
		{ "172.31.255.255", LINKCHECK_ADDR_PRIVATE },
		{ "192.168.1.1", LINKCHECK_ADDR_PRIVATE },
		{ "100.64.0.1", LINKCHECK_ADDR_PRIVATE },
		{ "169.254.169.254", LINKCHECK_ADDR_LINKLOCAL },
		{ "224.0.0.1", LINKCHECK_ADDR_MULTICAST },
		{ "239.255.255.250", LINKCHECK_ADDR_MULTICAST },
		{ "0.0.0.0", LINKCHECK_ADDR_UNSPECIFIED },
		{ "0.1.2.3", LINKCHECK_ADDR_UNSPECIFIED },
		{ "255.255.255.255", LINKCHECK_ADDR_RESERVED },
		{ "240.0.0.1", LINKCHECK_ADDR_RESERVED },
		{ "192.0.2.1", LINKCHECK_ADDR_RESERVED },
		{ "198.18.0.1", LINKCHECK_ADDR_RESERVED },
		{ "2606:4700::1111", LINKCHECK_ADDR_PUBLIC },
		{ "::", LINKCHECK_ADDR_UNSPECIFIED },
		{ "::1", LINKCHECK_ADDR_LOOPBACK },
		{ "::ffff:127.0.0.1", LINKCHECK_ADDR_LOOPBACK },
		{ "::ffff:10.0.0.1", LINKCHECK_ADDR_PRIVATE },
		{ "::ffff:169.254.1.1", LINKCHECK_ADDR_LINKLOCAL },
		{ "::ffff:0.0.0.0", LINKCHECK_ADDR_UNSPECIFIED },
		{ "::ffff:8.8.8.8", LINKCHECK_ADDR_PUBLIC },
		{ "64:ff9b::a00:1", LINKCHECK_ADDR_PRIVATE },
		{ "2002:7f00:1::1", LINKCHECK_ADDR_LOOPBACK },
		{ "::127.0.0.1", LINKCHECK_ADDR_RESERVED },
		{ "fd00::1", LINKCHECK_ADDR_PRIVATE },
		{ "fc00::1", LINKCHECK_ADDR_PRIVATE },
		{ "fec0::1", LINKCHECK_ADDR_PRIVATE },
		{ "fe80::1", LINKCHECK_ADDR_LINKLOCAL },
		{ "febf::1", LINKCHECK_ADDR_LINKLOCAL },
		{ "ff02::1", LINKCHECK_ADDR_MULTICAST },
		{ "2001:db8::1", LINKCHECK_ADDR_RESERVED },
		{ "2001:0:4136:e378::1", LINKCHECK_ADDR_RESERVED },
	};
	struct sockaddr_in	 s4;
	size_t			 i;

	for (i = 0; i < NELEM(t); i++) {
		ok(cls(t[i].addr) == t[i].want, "%s is %s", t[i].addr,
		    linkcheck_addr_name(t[i].want));
	}
	memset(&s4, 0, sizeof(s4));
	s4.sin_family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", &s4.sin_addr);
	ok(!linkcheck_addr_allowed((struct sockaddr *)&s4, 0) &&
	    linkcheck_addr_allowed((struct sockaddr *)&s4,
	    LINKCHECK_ALLOW_LOOPBACK) &&
	    linkcheck_addr_allowed((struct sockaddr *)&s4,
	    LINKCHECK_ALLOW_PRIVATE), "loopback: allowed only when asked");
	inet_pton(AF_INET, "10.0.0.1", &s4.sin_addr);
	ok(!linkcheck_addr_allowed((struct sockaddr *)&s4,
	    LINKCHECK_ALLOW_LOOPBACK) &&
	    linkcheck_addr_allowed((struct sockaddr *)&s4,
	    LINKCHECK_ALLOW_PRIVATE), "private: not with loopback alone");
	inet_pton(AF_INET, "93.184.215.14", &s4.sin_addr);
	ok(linkcheck_addr_allowed((struct sockaddr *)&s4, 0),
	    "public: always");
}

/* Write all of s to fd, ignoring a client that went away. */
static void
put(int fd, const char *s, size_t n)
{
	ssize_t	 w;

	while (n > 0 && (w = write(fd, s, n)) > 0) {
		s += w;
		n -= (size_t)w;
	}
}

static void
reply(int fd, int head, const char *status, const char *headers,
    const char *body)
{
	char	 buf[1024];
	int	 n;

	n = snprintf(buf, sizeof(buf), "HTTP/1.1 %s\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n%s\r\n", status, strlen(body), headers);
	put(fd, buf, (size_t)n);
	if (!head)
		put(fd, body, strlen(body));
}

/* Serve the one request on fd. */
static void
serve(int fd)
{
	char	 req[8192], method[16], path[256], hdr[512], chunk[65536];
	char	*p;
	size_t	 n = 0, i;
	ssize_t	 r;
	int	 head;

	while (n < sizeof(req) - 1 && (r = read(fd, req + n,
	    sizeof(req) - 1 - n)) > 0) {
		n += (size_t)r;
		req[n] = '\0';
		if (strstr(req, "\r\n\r\n") != NULL)
			break;
	}
	req[n] = '\0';
	if (sscanf(req, "%15s %255s", method, path) != 2)
		return;
	head = strcmp(method, "HEAD") == 0;
	if (strcmp(path, "/ok") == 0)
		reply(fd, head, "200 OK", "", "hello");
	else if (strcmp(path, "/nohead") == 0)
		reply(fd, head, head ? "405 Method Not Allowed" : "200 OK",
		    "", "body");
	else if (strcmp(path, "/redirect") == 0)
		reply(fd, head, "302 Found", "Location: /ok\r\n", "");
	else if (strcmp(path, "/loop") == 0)
		reply(fd, head, "302 Found", "Location: /loop\r\n", "");
	else if (strncmp(path, "/to/", 4) == 0) {
		/* /to/<where>: a redirect elsewhere, the port filled in. */
		if ((p = strstr(path, "PORT")) != NULL)
			snprintf(hdr, sizeof(hdr), "Location: %.*s%d%s\r\n",
			    (int)(p - path - 4), path + 4, port, p + 4);
		else
			snprintf(hdr, sizeof(hdr), "Location: %s\r\n",
			    path + 4);
		reply(fd, head, "301 Moved Permanently", hdr, "");
	} else if (strcmp(path, "/big") == 0 && !head) {
		put(fd, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n", 38);
		memset(chunk, 'x', sizeof(chunk));
		for (i = 0; i < 40; i++)
			put(fd, chunk, sizeof(chunk));
	} else if (strcmp(path, "/bigcl") == 0 && !head) {
		put(fd, "HTTP/1.1 200 OK\r\nContent-Length: 5000000\r\n"
		    "Connection: close\r\n\r\nxxxx", 66);
	} else if (strcmp(path, "/slow") == 0) {
		sleep(3);
		reply(fd, head, "200 OK", "", "late");
	} else
		reply(fd, head, head ? "405 Method Not Allowed" :
		    "404 Not Found", "", "no");
}

/* Fork the server on 127.0.0.1; it forks once per connection. */
static pid_t
server_start(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	pid_t			 pid;
	int			 s, c;

	if (pipe(conns) == -1 || (s = socket(AF_INET, SOCK_STREAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    listen(s, 64) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) == -1)
		return -1;
	port = ntohs(sin.sin_port);
	if ((pid = fork()) != 0) {
		close(s);
		close(conns[1]);
		fcntl(conns[0], F_SETFL, O_NONBLOCK);
		return pid;
	}
	setpgid(0, 0);
	signal(SIGCHLD, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		if ((c = accept(s, NULL, NULL)) == -1) {
			if (errno == EINTR)
				continue;
			_exit(1);
		}
		put(conns[1], "c", 1);
		if (fork() == 0) {
			close(s);
			serve(c);
			shutdown(c, SHUT_WR);
			close(c);
			_exit(0);
		}
		close(c);
	}
}

/* Connections the server accepted since the last call. */
static int
connections(void)
{
	char	 b[256];
	ssize_t	 r;
	int	 n = 0;

	usleep(50000);
	while ((r = read(conns[0], b, sizeof(b))) > 0)
		n += (int)r;
	return n;
}

static struct linkcheck_result	 res;

/* Check path on the server, or the URL path with PORT filled in. */
static enum linkcheck_status
check(const char *path, unsigned int allow, long timeout_ms)
{
	struct linkcheck_opts	 o;
	char			 url[512];
	const char		*p;

	linkcheck_defaults(&o);
	o.allow = allow;
	if (timeout_ms > 0)
		o.timeout_ms = timeout_ms;
	if (path[0] == '/')
		snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
	else if ((p = strstr(path, "PORT")) != NULL)
		snprintf(url, sizeof(url), "%.*s%d%s", (int)(p - path), path,
		    port, p + 4);
	else
		snprintf(url, sizeof(url), "%s", path);
	if (linkcheck_url(url, &o, &res) != 1)
		return LINKCHECK__MAX;
	printf("# %s: %s, %ld, %d redirects: %s\n", url,
	    linkcheck_status_name(res.status), res.http_status, res.redirects,
	    res.reason);
	return res.status;
}

#define LB	LINKCHECK_ALLOW_LOOPBACK

static void
test_http(void)
{
	long long	 t0, spent;

	connections();
	ok(check("/ok", LB, 0) == LINKCHECK_OK && res.http_status == 200,
	    "a live link is ok");
	is_int(connections(), 1, "by HEAD alone");
	ok(check("/gone", LB, 0) == LINKCHECK_DEAD && res.http_status == 404 &&
	    strcmp(res.reason, "HTTP 404") == 0, "a 404 is dead, with its status");
	is_int(connections(), 2, "after HEAD and GET");
	ok(check("/nohead", LB, 0) == LINKCHECK_OK && res.http_status == 200,
	    "HEAD refused: GET decides");
	ok(check("/redirect", LB, 0) == LINKCHECK_OK && res.redirects == 1,
	    "a redirect is followed");
	ok(check("/to/http://localhost:PORT/ok", LB, 0) == LINKCHECK_OK &&
	    res.redirects == 1, "to a name, resolved and pinned");
	ok(check("/loop", LB, 0) == LINKCHECK_UNREACHABLE &&
	    res.redirects == 5 && strstr(res.reason, "redirects") != NULL,
	    "a redirect loop ends after the limit");

	connections();
	ok(check("/to/http://10.1.2.3:PORT/ok", LB, 0) == LINKCHECK_REFUSED &&
	    strcmp(res.reason, "10.1.2.3 is not a public address (private)") == 0,
	    "a redirect to a private address is refused");
	ok(check("/to/http://[::ffff:10.1.2.3]:PORT/ok", LB, 0) ==
	    LINKCHECK_REFUSED && strstr(res.reason, "private") != NULL,
	    "and to an IPv4-mapped private address");
	ok(check("/to/http://0.0.0.0:PORT/ok", LB, 0) == LINKCHECK_REFUSED &&
	    strstr(res.reason, "unspecified") != NULL,
	    "and to 0.0.0.0, which would reach this machine");
	ok(check("/to/http://169.254.169.254/latest/", LB, 0) ==
	    LINKCHECK_REFUSED && strstr(res.reason, "link-local") != NULL,
	    "and to a cloud metadata address");
	ok(check("/to/ftp://127.0.0.1:PORT/x", LB, 0) == LINKCHECK_REFUSED &&
	    strstr(res.reason, "ftp") != NULL, "and to another scheme");
	is_int(connections(), 5, "each refused hop was never visited");

	ok(check("/ok", 0, 0) == LINKCHECK_REFUSED &&
	    strstr(res.reason, "loopback") != NULL,
	    "loopback is refused unless allowed");
	ok(check("http://localhost:PORT/ok", 0, 0) == LINKCHECK_REFUSED,
	    "also by a name that resolves to it");
	ok(check("http://[::1]:PORT/ok", 0, 0) == LINKCHECK_REFUSED,
	    "also as an IPv6 literal");
	ok(check("http://2130706433:PORT/ok", 0, 0) == LINKCHECK_REFUSED,
	    "also as a number");
	ok(check("/to/http://127.0.0.1:PORT/ok", 0, 0) == LINKCHECK_REFUSED,
	    "the first hop is checked as well");
	is_int(connections(), 0, "and nothing was connected to");

	ok(check("/big", LB, 0) == LINKCHECK_TOO_BIG, "a body past the cap");
	ok(check("/bigcl", LB, 0) == LINKCHECK_TOO_BIG,
	    "a Content-Length past the cap");
	t0 = now_usec();
	ok(check("/slow", LB, 700) == LINKCHECK_UNREACHABLE &&
	    strcmp(res.reason, "timed out") == 0, "a slow server times out");
	spent = now_usec() - t0;
	ok(spent < 2000000, "within the deadline (%lld us)", spent);
	ok(check("not a url", LB, 0) == LINKCHECK_UNREACHABLE,
	    "not a URL: unreachable");
	ok(check("mailto:x@example.org", LB, 0) == LINKCHECK_REFUSED &&
	    strstr(res.reason, "mailto:") != NULL, "mailto: refused");
	ok(check("javascript:alert(1)", LB, 0) == LINKCHECK_REFUSED,
	    "javascript: refused");
}

int
main(void)
{
	pid_t	 pid;
	int	 st;

	test_policy();
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK ||
	    (pid = server_start()) <= 0) {
		ok(0, "could not start the test server");
		return tap_done();
	}
	test_http();
	kill(-pid, SIGTERM);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	curl_global_cleanup();
	return tap_done();
}
