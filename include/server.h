/*
 * server.h: the prefork FastCGI server.
 *
 * The master opens the listening socket, forks the workers, respawns any
 * that dies, replaces them all on SIGHUP (new configuration, no request
 * dropped: the socket stays open and old workers finish what they hold)
 * and stops them gracefully on SIGTERM or SIGINT.
 */
#ifndef SERVER_H
#define SERVER_H

struct app;
struct conf;

/*
 * Run the master until it is told to stop.  config_path is re-read on
 * SIGHUP.  Returns the process exit status.
 */
int	master_run(const char *config_path, struct conf *);

/* Serve requests on listen_fd until SIGTERM; never returns. */
void	worker_run(const struct app *, int listen_fd)
	    __attribute__((noreturn));

#endif
