/*
 * ref_fcgi.c: the minimal FastCGI responder the server is measured against.
 *
 * It does the work of the server's GET / and GET /healthz and nothing
 * else: nproc prefork processes accept on one unix socket with plain
 * libfcgi; each holds one libpq connection with "SELECT 1" prepared once.
 * "/" answers the page given on the command line, from memory, with the
 * header lines of the file given after it (the server's own for that
 * page: its Cache-Control, validators and Vary, which bench/run saves),
 * and an X-Accel-Expires of the moment, as the server's memory writes
 * it (nginx keeps it to itself); "/healthz" runs the prepared statement
 * and formats the server's JSON by hand.  Responses carry the same header
 * lines as the server's, so both put the same bytes through nginx.
 *
 * "/posts" is reference C of the performance notes, what a database page
 * costs at the least: one prepared SELECT of the 20 latest rows of a
 * random one of 1,000 units in bench_posts (made by bench/run), escaped
 * into an HTML page of about 13 KB, written at once.
 *
 * "POST /save" is the reference for a draft's save: the request body as
 * it came (up to 64 KB; bench/run sends the same 2,000-character JSON it
 * sends the server) stored by one prepared INSERT into bench_saves, a
 * table of its own (made by bench/run), in its own transaction; it
 * answers 201 with the new row's id as JSON.
 *
 * SIGTERM or SIGINT to the parent stops all; a child that dies stops all
 * too, so a run never goes on degraded.
 *
 * usage: ref_fcgi socket nproc conninfo page [head]
 */
#define _DEFAULT_SOURCE		/* err(3), fileno(3), sigwait(3) under -std=c17 */

#include <sys/stat.h>
#include <sys/wait.h>

#include <err.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>
#include <libpq-fe.h>

#ifndef REF_VERSION
#define REF_VERSION	"0.1.0"
#endif
#define MAX_PROCS	64

/* Header lines the server sends on every response (see app/http/resp.c). */
#define SECURITY_HEADERS						\
	"Content-Security-Policy: default-src 'self'; img-src 'self' data:; " \
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "	\
	"form-action 'self'\r\nX-Content-Type-Options: nosniff\r\n"	\
	"X-Frame-Options: DENY\r\n"					\
	"Referrer-Policy: strict-origin-when-cross-origin\r\n"		\
	"Cross-Origin-Opener-Policy: same-origin\r\n"
#define HTML_TAIL	"Cache-Control: no-cache\r\nVary: Accept\r\n"
#define JSON_TAIL	"Cache-Control: no-store\r\n"
#define POSTS_SQL	"SELECT id, title, author, " \
	"to_char(published_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), " \
	"excerpt FROM bench_posts WHERE unit_id = $1 " \
	"ORDER BY published_at DESC LIMIT 20"
#define POSTS_UNITS	1000
#define SAVE_SQL	"INSERT INTO bench_saves (unit_id, body) " \
	"VALUES ($1, $2) RETURNING id"
#define SAVE_MAX	65536
#define PAGE_MAX	65536

/* A page under construction. */
struct page {
	char	 buf[PAGE_MAX];
	size_t	 len;
};

/* Append s to p, escaped for HTML text and attributes when esc is set. */
static void
put(struct page *p, const char *s, int esc)
{
	const char	*r;
	size_t		 n;

	for (; *s != '\0'; s++) {
		switch (esc ? *s : 0) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&#39;"; break;
		default: r = NULL; break;
		}
		n = r != NULL ? strlen(r) : 1;
		if (p->len + n >= sizeof(p->buf))
			return;
		if (r != NULL)
			memcpy(p->buf + p->len, r, n);
		else
			p->buf[p->len] = *s;
		p->len += n;
	}
}

/* Render the 20 latest posts of a random unit; 0 when the query failed. */
static int
posts(PGconn *conn, struct page *p)
{
	PGresult	*res;
	const char	*v[1];
	char		 unit[16];
	int		 i;

	snprintf(unit, sizeof(unit), "%d", 1 + rand() % POSTS_UNITS);
	v[0] = unit;
	res = PQexecPrepared(conn, "posts", 1, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		PQclear(res);
		return 0;
	}
	p->len = 0;
	put(p, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	    "<title>Posts of unit ", 0);
	put(p, unit, 1);
	put(p, "</title></head><body><main><h1>Posts</h1>\n", 0);
	for (i = 0; i < PQntuples(res); i++) {
		put(p, "<article id=\"post-", 0);
		put(p, PQgetvalue(res, i, 0), 1);
		put(p, "\"><h2>", 0);
		put(p, PQgetvalue(res, i, 1), 1);
		put(p, "</h2><p class=\"meta\">", 0);
		put(p, PQgetvalue(res, i, 2), 1);
		put(p, ", <time>", 0);
		put(p, PQgetvalue(res, i, 3), 1);
		put(p, "</time></p><p>", 0);
		put(p, PQgetvalue(res, i, 4), 1);
		put(p, "</p></article>\n", 0);
	}
	put(p, "</main></body></html>\n", 0);
	PQclear(res);
	return 1;
}

/*
 * Store the request's body as one row of bench_saves; writes the JSON
 * answer into json and returns the status line, or NULL on a bad request.
 */
static const char *
save(PGconn *conn, FCGX_Request *fr, char *json, size_t jsonlen)
{
	static char	 body[SAVE_MAX + 1];
	PGresult	*res;
	const char	*cl, *v[2];
	char		 unit[16];
	long		 n;
	int		 got;

	cl = FCGX_GetParam("CONTENT_LENGTH", fr->envp);
	n = cl != NULL ? strtol(cl, NULL, 10) : 0;
	if (n < 1 || n > SAVE_MAX)
		return NULL;
	if ((got = FCGX_GetStr(body, (int)n, fr->in)) != n)
		return NULL;
	body[got] = '\0';
	snprintf(unit, sizeof(unit), "%d", 1 + rand() % POSTS_UNITS);
	v[0] = unit;
	v[1] = body;
	res = PQexecPrepared(conn, "save", 2, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		PQclear(res);
		snprintf(json, jsonlen, "{\"error\":\"database\"}\n");
		return "503 Service Unavailable";
	}
	snprintf(json, jsonlen, "{\"id\":%s}\n", PQgetvalue(res, 0, 0));
	PQclear(res);
	return "201 Created";
}

/* Write one whole response: head, then body of len bytes. */
static void
reply(FCGX_Request *fr, const char *status, const char *type,
    const char *tail, const char *body, size_t len)
{
	char	 head[1024];
	int	 n;

	n = snprintf(head, sizeof(head), "Status: %s\r\nContent-Type: %s\r\n"
	    "Content-Length: %zu\r\n" SECURITY_HEADERS "%s\r\n", status, type,
	    len, tail);
	FCGX_PutStr(head, n, fr->out);
	FCGX_PutStr(body, (int)len, fr->out);
}

/* Serve requests on fd until killed; exits 1 if the database is unusable. */
static void
serve(int fd, const char *conninfo, const char *page, size_t pagelen,
    const char *tail)
{
	char		 ptail[4096];
	static struct page pg;
	FCGX_Request	 fr;
	PGconn		*conn;
	PGresult	*res;
	const char	*uri, *method, *st;
	char		 json[128];
	int		 ok, n;

	conn = PQconnectdb(conninfo);
	if (PQstatus(conn) != CONNECTION_OK)
		errx(1, "could not connect: %s", PQerrorMessage(conn));
	res = PQprepare(conn, "ping", "SELECT 1", 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		errx(1, "could not prepare: %s", PQerrorMessage(conn));
	PQclear(res);
	res = PQprepare(conn, "posts", POSTS_SQL, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		errx(1, "could not prepare: %s", PQerrorMessage(conn));
	PQclear(res);
	res = PQprepare(conn, "save", SAVE_SQL, 0, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		errx(1, "could not prepare: %s", PQerrorMessage(conn));
	PQclear(res);
	srand((unsigned)getpid());
	FCGX_InitRequest(&fr, fd, 0);
	while (FCGX_Accept_r(&fr) >= 0) {
		uri = FCGX_GetParam("REQUEST_URI", fr.envp);
		if (uri == NULL)
			uri = "";
		method = FCGX_GetParam("REQUEST_METHOD", fr.envp);
		if (method == NULL)
			method = "";
		if (strcmp(uri, "/save") == 0 && strcmp(method, "POST") == 0) {
			if ((st = save(conn, &fr, json, sizeof(json))) == NULL)
				reply(&fr, "400 Bad Request", "text/plain",
				    JSON_TAIL, "bad request\n", 12);
			else
				reply(&fr, st, "application/json", JSON_TAIL,
				    json, strlen(json));
		} else if (strcmp(uri, "/") == 0) {
			snprintf(ptail, sizeof(ptail), "%sX-Accel-Expires: "
			    "@%lld\r\n", tail, (long long)time(NULL));
			reply(&fr, "200 OK", "text/html; charset=utf-8",
			    ptail, page, pagelen);
		}
		else if (strcmp(uri, "/healthz") == 0) {
			res = PQexecPrepared(conn, "ping", 0, NULL, NULL, NULL,
			    0);
			ok = PQresultStatus(res) == PGRES_TUPLES_OK &&
			    PQntuples(res) == 1;
			PQclear(res);
			n = snprintf(json, sizeof(json), "{\"status\":\"%s\","
			    "\"db\":\"%s\",\"version\":\"" REF_VERSION "\"}\n",
			    ok ? "ok" : "error", ok ? "ok" : "down");
			reply(&fr, ok ? "200 OK" : "503 Service Unavailable",
			    "application/json", JSON_TAIL, json, (size_t)n);
		} else if (strcmp(uri, "/posts") == 0) {
			if (posts(conn, &pg))
				reply(&fr, "200 OK", "text/html; charset=utf-8",
				    HTML_TAIL, pg.buf, pg.len);
			else
				reply(&fr, "503 Service Unavailable",
				    "text/plain", JSON_TAIL, "database\n", 9);
		} else
			reply(&fr, "404 Not Found", "text/plain", JSON_TAIL,
			    "not found\n", 10);
		FCGX_Finish_r(&fr);
	}
	PQfinish(conn);
	exit(0);
}

/* Read the whole file at path into a new buffer; exits on failure. */
static char *
slurp(const char *path, size_t *len)
{
	FILE		*f;
	struct stat	 st;
	char		*p;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1)
		err(1, "%s", path);
	if ((p = malloc((size_t)st.st_size + 1)) == NULL)
		err(1, NULL);
	*len = fread(p, 1, (size_t)st.st_size, f);
	if (*len != (size_t)st.st_size)
		errx(1, "%s: short read", path);
	fclose(f);
	return p;
}

int
main(int argc, char *argv[])
{
	pid_t		 kids[MAX_PROCS];
	sigset_t	 set;
	char		*page, *end, *head;
	const char	*tail = HTML_TAIL;
	size_t		 pagelen, headlen;
	long		 lv;
	int		 fd, i, n, sig, status = 0;

	if (argc != 5 && argc != 6)
		errx(2, "usage: ref_fcgi socket nproc conninfo page [head]");
	lv = strtol(argv[2], &end, 10);
	if (*end != '\0' || lv < 1 || lv > MAX_PROCS)
		errx(2, "nproc must be 1 to %d: %s", MAX_PROCS, argv[2]);
	n = (int)lv;
	page = slurp(argv[4], &pagelen);
	if (argc == 6) {
		head = slurp(argv[5], &headlen);
		head[headlen] = '\0';
		tail = head;
	}
	if (FCGX_Init() != 0 || (fd = FCGX_OpenSocket(argv[1], 1024)) < 0)
		errx(1, "could not listen on %s", argv[1]);

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) == -1)
			err(1, "fork");
		if (kids[i] == 0) {
			sigprocmask(SIG_UNBLOCK, &set, NULL);
			serve(fd, argv[3], page, pagelen, tail);
		}
	}
	/* Signals are taken synchronously: no handler state to race with. */
	if (sigwait(&set, &sig) == 0 && sig == SIGCHLD) {
		warnx("a responder process died; stopping");
		status = 1;
	}
	for (i = 0; i < n; i++)
		kill(kids[i], SIGTERM);
	while (wait(NULL) > 0)
		;
	unlink(argv[1]);
	return status;
}
