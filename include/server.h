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

/*
 * Serve requests on listen_fd until SIGTERM, or until the master raises
 * *stop_below above gen (a word shared with the master, read after each
 * request, so a busy worker needs no system call to learn it must go).
 * Never returns.
 */
void	worker_run(const struct app *, int listen_fd,
	    const _Atomic unsigned *stop_below, unsigned gen)
	    __attribute__((noreturn));

#endif
