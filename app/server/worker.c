/*
 * worker.c: one worker process, one request at a time.
 *
 * Signals: SIGTERM and SIGINT are blocked except while the worker waits
 * for a connection in epoll_pwait(), which unblocks them atomically; so a
 * request in flight always finishes, and an idle worker leaves at once.
 * The listening socket is non-blocking: a worker first tries accept(),
 * which costs nothing more under load, and only on EAGAIN waits, on the
 * socket with EPOLLEXCLUSIVE so that a new connection wakes one worker
 * rather than all; a worker that loses a race gets EAGAIN again instead
 * of blocking where no signal can reach it.
 */
#include "config.h"

#include <errno.h>
#include <sys/epoll.h>

#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "arena.h"
#include "buf.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "keep.h"
#include "notify.h"
#include "page_mem.h"
#include "public_mem.h"
#include "req.h"
#include "server.h"
#include "stmts.h"

static volatile sig_atomic_t	 stopping;

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static long
fcgi_read(void *ctx, char *dst, size_t n)
{
	int	 want = n > (1 << 30) ? (1 << 30) : (int)n;

	return FCGX_GetStr(dst, want, ((FCGX_Request *)ctx)->in);
}

/*
 * Wait until fd is readable: the listening socket through the worker's
 * epoll set, or a connection nginx kept open for its next request.
 */
static void
wait_ready(int ep, int listen_fd, int fd, const sigset_t *open_mask)
{
	struct epoll_event	 ev;
	struct pollfd		 pfd = { fd, POLLIN, 0 };
	int			 rc;

	if (fd == listen_fd)
		rc = epoll_pwait(ep, &ev, 1, -1, open_mask);
	else
		rc = ppoll(&pfd, 1, NULL, open_mask);
	if (rc < 0 && errno != EINTR)
		log_warn("could not wait for connections: %s",
		    strerror(errno));
}

/* Write the answer and end the FastCGI request: the client has it. */
static void
fcgi_send(void *ctx, const struct buf *head, const struct buf *body)
{
	FCGX_Request	*fr = ctx;

	FCGX_PutStr(head->data, (int)head->len, fr->out);
	if (body->len > 0)
		FCGX_PutStr(body->data, (int)body->len, fr->out);
	FCGX_Finish_r(fr);
}

/*
 * Serve one request: a public page from memory when the memory
 * holds it and nothing notified has changed it (notify.h), else by the
 * application, whose answer the memory may keep.  pages is the worker's
 * memory of signed-in unit pages (page_mem.h), which the application
 * consults and fills itself.
 */
static void
serve_one(const struct app *app, FCGX_Request *fr, struct arena *a,
    struct notify *n, struct keep *pages, struct buf *head, struct buf *body)
{
	struct app_io	 io = { fcgi_read, fcgi_send, fr, head, body };
	struct req	 r;
	char		 key[PUBLIC_MEM_KEY];
	const char	*kept;
	size_t		 kept_len;
	int		 mem;

	if ((mem = public_mem_key(fr->envp, key, sizeof(key))) &&
	    notify_check(n) && public_mem_get(n->mem, key, head, &kept,
	    &kept_len)) {
		/* The body from memory as it is: no copy. */
		FCGX_PutStr(head->data, (int)head->len, fr->out);
		FCGX_PutStr(kept, (int)kept_len, fr->out);
		FCGX_Finish_r(fr);
		return;
	}
	arena_reset(a);
	req_init(&r, a, fr->envp);
	r.db = n->db;
	r.pages = pages;
	app_serve(app, &r, &io);
	if (mem) {
		notify_settle(n);
		public_mem_put(n->mem, key, head, body,
		    r.resp.mem_until);
	}
	if (arena_used(a) > 4 * 1024 * 1024)
		arena_reset(a);	/* give back a large request's blocks now */
}

void
worker_run(const struct app *app, int listen_fd,
    const _Atomic unsigned *stop_below, unsigned gen)
{
	FCGX_Request	 fr;
	struct sigaction sa;
	sigset_t	 block, open_mask;
	struct arena	*a;
	struct buf	 head, body;
	struct db	*db;
	struct notify	 n;
	struct keep	*pages;
	struct epoll_event ev;
	int		 ep, rc, ready, errs = 0;

	log_setup(app->conf->log_level, "worker");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGCHLD, &sa, NULL);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_SETMASK, &block, NULL);
	sigemptyset(&open_mask);

	a = arena_new(64 * 1024);
	buf_init(&head);
	buf_init(&body);
	db = db_new(app->conf->database, app->conf->db_connect_timeout,
	    "chapterhouse", db_tables);
	db_refuse_privileged(db);	/* the master checked; a reload may
					   not */
	db_anon_role(db);	/* anonymous reads as chapterhouse_anon */
	db_listen(db, NOTIFY_CHANNEL);
	db_connect(db);		/* when down, requests retry and answer 503 */
	n.db = db;
	n.mem = public_mem_new();
	n.gen = db_generation(db);
	pages = page_mem_new();

	if ((ep = epoll_create1(EPOLL_CLOEXEC)) < 0) {
		log_error("could not create an epoll set: %s", strerror(errno));
		exit(1);
	}
	memset(&ev, 0, sizeof(ev));
	ev.events = EPOLLIN | EPOLLEXCLUSIVE;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &ev) < 0) {
		log_error("could not watch the listening socket: %s",
		    strerror(errno));
		exit(1);
	}
	FCGX_Init();
	/*
	 * libfcgi installs its own SIGPIPE and SIGUSR1 handlers; after its
	 * SIGUSR1 handler ran, a worker would accept nothing any more.
	 * Both are ignored instead, once libfcgi is done installing.
	 */
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGUSR2, &sa, NULL);
	FCGX_InitRequest(&fr, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	log_debug("worker ready");
	ready = 0;
	while (!stopping) {
		/*
		 * Under load a connection is already queued: try accept()
		 * first and wait only when it says EAGAIN.  A connection nginx
		 * kept (ipcFd >= 0) is waited on before libfcgi reads it, so
		 * that the wait, not a blocking read, is where signals land.
		 */
		if (fr.ipcFd >= 0 && !ready) {
			wait_ready(ep, listen_fd, fr.ipcFd, &open_mask);
			ready = 1;
			continue;
		}
		ready = 0;
		if ((rc = FCGX_Accept_r(&fr)) < 0) {
			/* -errno, or below -9000 for libfcgi's own failures */
			if (rc == -EAGAIN || rc == -EWOULDBLOCK ||
			    rc == -EINTR) {
				wait_ready(ep, listen_fd, listen_fd,
				    &open_mask);
				continue;
			}
			log_warn("could not accept a connection: %s",
			    rc > -9000 ? strerror(-rc) : "libfcgi error");
			if (++errs > 10)
				usleep(100000);	/* EMFILE and the like */
			continue;
		}
		errs = 0;
		serve_one(app, &fr, a, &n, pages, &head, &body);
		if (gen < atomic_load_explicit(stop_below,
		    memory_order_relaxed))
			break;
	}
	FCGX_Free(&fr, 1);
	close(ep);
	public_mem_free(n.mem);
	keep_free(pages);
	db_free(db);
	buf_free(&head);
	buf_free(&body);
	arena_free(a);
	log_debug("worker done");
	exit(0);
}
