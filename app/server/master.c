/*
 * master.c: the prefork master.
 *
 * All signals the master cares about are blocked and taken synchronously
 * with sigtimedwait(), so there is no signal-handler state to race with.
 * Workers carry a generation number; a reload starts generation g+1 and
 * asks generation g to finish, so the listening socket never goes
 * unserved.  A worker that dies is replaced at once, unless workers keep
 * dying young, in which case respawns are spaced out by up to a second.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "app.h"
#include "conf.h"
#include "db.h"
#include "hashcap.h"
#include "log.h"
#include "server.h"
#include "util.h"

#define MAX_CHILDREN	1024

struct child {
	pid_t		 pid;
	unsigned	 gen;
	long long	 started;	/* now_usec() */
};

struct master {
	const char	*config_path;
	struct conf	*conf;
	struct app	 app;
	int		 fd;
	int		 unix_socket;
	_Atomic unsigned *stop_below;	/* shared: generations below stop */
	struct hashcap	*hashcap;	/* shared: password hashes running */
	unsigned	 gen;
	struct child	 kids[MAX_CHILDREN];
	int		 respawn_delay_ms;
	int		 stopping;
};

/* Is listen a unix socket path (not host:port)? */
static int
is_unix(const char *listen)
{
	return strchr(listen, '/') != NULL || strchr(listen, ':') == NULL;
}

/* Refuse to steal the socket of a server that is still running. */
static int
socket_in_use(const char *path)
{
	struct sockaddr_un	 sun;
	int			 s, rc;

	if (strlen(path) >= sizeof(sun.sun_path))
		return 0;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if ((s = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
		return 0;
	rc = connect(s, (struct sockaddr *)&sun, sizeof(sun));
	close(s);
	return rc == 0;
}

static int
open_listener(struct master *m)
{
	const struct conf	*c = m->conf;
	mode_t			 old;
	int			 fl;

	m->unix_socket = is_unix(c->listen);
	if (m->unix_socket && socket_in_use(c->listen)) {
		log_error("could not listen on %s: another server is "
		    "answering there", c->listen);
		return 0;
	}
	/* The umask gives the socket its mode from the start: no window. */
	old = umask((mode_t)(~c->socket_mode & 0777));
	m->fd = FCGX_OpenSocket(c->listen, c->backlog);
	umask(old);
	if (m->fd < 0) {
		log_error("could not listen on %s: %s", c->listen,
		    strerror(errno));
		return 0;
	}
	if (m->unix_socket && chmod(c->listen, (mode_t)c->socket_mode) < 0)
		log_warn("could not set the mode of %s: %s", c->listen,
		    strerror(errno));
	if ((fl = fcntl(m->fd, F_GETFL)) < 0 ||
	    fcntl(m->fd, F_SETFL, fl | O_NONBLOCK) < 0) {
		log_error("could not make the socket non-blocking: %s",
		    strerror(errno));
		return 0;
	}
	return 1;
}

static int
live_children(const struct master *m, int gen_only, unsigned gen)
{
	int	 i, n = 0;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (m->kids[i].pid > 0 && (!gen_only || m->kids[i].gen == gen))
			n++;
	return n;
}

/*
 * Is the role of database one row-level security holds?  0 when it is a
 * superuser, BYPASSRLS or the schema owner (logged: serving as it would
 * show every row).  An unreachable database is not a refusal (1): the
 * workers check again at each connection.
 */
static int
role_allowed(const struct conf *c)
{
	struct db_conn	 pg;
	int		 ok;

	db_conn_init(&pg, c->database, c->db_connect_timeout,
	    "chapterhouse");
	pg.guard = 1;
	(void)db_conn_open(&pg);
	ok = !pg.refused;
	db_conn_fini(&pg);
	return ok;
}

/* Start one worker; 1, or 0 when none could be started (logged). */
static int
spawn(struct master *m)
{
	pid_t		 pid;
	int		 i;

	for (i = 0; i < MAX_CHILDREN && m->kids[i].pid > 0; i++)
		;
	if (i == MAX_CHILDREN) {
		log_error("could not start a worker: too many processes");
		return 0;
	}
	if ((pid = fork()) < 0) {
		log_error("could not start a worker: %s", strerror(errno));
		return 0;
	}
	/* The child keeps the signals blocked until it has its handlers. */
	if (pid == 0)
		worker_run(&m->app, m->fd, m->stop_below, m->gen);
	m->kids[i].pid = pid;
	m->kids[i].gen = m->gen;
	m->kids[i].started = now_usec();
	return 1;
}

static void
signal_gen(struct master *m, int sig, int all, unsigned gen)
{
	int	 i;

	for (i = 0; i < MAX_CHILDREN; i++)
		if (m->kids[i].pid > 0 && (all || m->kids[i].gen == gen))
			kill(m->kids[i].pid, sig);
}

/* Reap dead workers; replace those of the current generation. */
static void
reap(struct master *m)
{
	pid_t	 pid;
	int	 st, i, replace = 0;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (i = 0; i < MAX_CHILDREN && m->kids[i].pid != pid; i++)
			;
		if (i == MAX_CHILDREN)
			continue;
		m->kids[i].pid = 0;
		hashcap_reap(m->hashcap, pid);
		if (m->stopping || m->kids[i].gen != m->gen)
			continue;
		if (WIFSIGNALED(st))
			log_warn("worker %ld was killed by signal %d; "
			    "starting another", (long)pid, WTERMSIG(st));
		else
			log_warn("worker %ld exited with status %d; "
			    "starting another", (long)pid, WEXITSTATUS(st));
		if (now_usec() - m->kids[i].started < 1000000) {
			m->respawn_delay_ms = m->respawn_delay_ms ?
			    m->respawn_delay_ms * 2 : 10;
			if (m->respawn_delay_ms > 1000)
				m->respawn_delay_ms = 1000;
		} else
			m->respawn_delay_ms = 0;
		replace++;
	}
	if (replace && m->respawn_delay_ms) {
		struct timespec ts = { 0, m->respawn_delay_ms * 1000000L };

		nanosleep(&ts, NULL);
	}
	while (replace-- > 0 && spawn(m))
		;
}

static void
reload(struct master *m)
{
	struct conf	*nc;
	struct app	 napp;
	char		 err[1024];
	int		 i;

	if ((nc = conf_load(m->config_path, 0, err, sizeof(err))) == NULL) {
		log_error("reload refused, keeping the running configuration: "
		    "%s", err);
		return;
	}
	if (strcmp(nc->listen, m->conf->listen) != 0) {
		log_warn("listen changed from %s to %s: restart the server to "
		    "apply it", m->conf->listen, nc->listen);
		free(nc->listen);
		nc->listen = xstrdup(m->conf->listen);
	}
	if (!role_allowed(nc)) {
		log_error("reload refused, keeping the running configuration: "
		    "the new database role may not serve");
		conf_free(nc);
		return;
	}
	if (!app_init(&napp, nc, err, sizeof(err))) {
		log_error("reload refused: %s", err);
		conf_free(nc);
		return;
	}
	/* Old workers keep their own copies of the old state. */
	app_free(&m->app);
	conf_free(m->conf);
	m->conf = nc;
	m->app = napp;
	m->app.hashcap = m->hashcap;
	log_setup(nc->log_level, "master");
	m->gen++;
	for (i = 0; i < m->conf->workers; i++)
		spawn(m);
	atomic_store(m->stop_below, m->gen);
	for (i = 0; i < MAX_CHILDREN; i++)
		if (m->kids[i].pid > 0 && m->kids[i].gen < m->gen)
			kill(m->kids[i].pid, SIGTERM);
	log_info("reloaded: %d workers of generation %u started",
	    m->conf->workers, m->gen);
}

static void
stop(struct master *m)
{
	long long	 deadline;
	struct timespec	 ts = { 0, 50 * 1000000L };

	m->stopping = 1;
	atomic_store(m->stop_below, UINT_MAX);
	signal_gen(m, SIGTERM, 1, 0);
	deadline = now_usec() + (long long)m->conf->shutdown_timeout * 1000000;
	while (live_children(m, 0, 0) > 0 && now_usec() < deadline) {
		nanosleep(&ts, NULL);
		reap(m);
	}
	if (live_children(m, 0, 0) > 0) {
		log_warn("workers still busy after %d s: killing them",
		    m->conf->shutdown_timeout);
		signal_gen(m, SIGKILL, 1, 0);
		while (live_children(m, 0, 0) > 0) {
			nanosleep(&ts, NULL);
			reap(m);
		}
	}
}

int
master_run(const char *config_path, struct conf *c)
{
	static struct master	 m;	/* large; one per process */
	struct timespec		 tick = { 1, 0 };
	sigset_t		 set;
	char			 err[1024];
	int			 sig, i;

	memset(&m, 0, sizeof(m));
	m.config_path = config_path;
	m.conf = c;
	log_setup(c->log_level, "master");
	if (!app_init(&m.app, c, err, sizeof(err))) {
		log_error("%s", err);
		return 1;
	}
	if (!role_allowed(c)) {
		app_free(&m.app);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* Signals with no meaning here must not kill the master. */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	m.stop_below = mmap(NULL, sizeof(*m.stop_below), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m.stop_below == MAP_FAILED) {
		log_error("could not map shared memory: %s", strerror(errno));
		return 1;
	}
	atomic_init(m.stop_below, 0);
	if ((m.hashcap = hashcap_new()) == NULL)
		return 1;
	m.app.hashcap = m.hashcap;
	if (!open_listener(&m))
		return 1;
	for (i = 0; i < c->workers; i++)
		spawn(&m);
	log_info("serving on %s with %d workers", c->listen, c->workers);

	while (!m.stopping) {
		sig = sigtimedwait(&set, NULL, &tick);
		switch (sig) {
		case SIGCHLD:
			reap(&m);
			break;
		case SIGHUP:
			reload(&m);
			break;
		case SIGTERM:
		case SIGINT:
			log_info("stopping: letting in-flight requests finish");
			stop(&m);
			break;
		default:
			reap(&m);	/* a SIGCHLD merged with another */
			/* A worker that could not start is tried next tick. */
			while (live_children(&m, 1, m.gen) < m.conf->workers &&
			    spawn(&m))
				;
			break;
		}
	}
	close(m.fd);
	if (m.unix_socket)
		unlink(m.conf->listen);
	log_info("stopped");
	app_free(&m.app);
	conf_free(m.conf);
	hashcap_free(m.hashcap);
	return 0;
}
