/*
 * hashcap.h: a cap on password hashes running at once across all worker
 * processes.  One scrypt run takes about 64 MiB and half a second, so a
 * burst of logins must not take the machine's memory: past max_hashes,
 * a request is answered 503 with Retry-After at once instead of queuing.
 *
 * The slots live in shared memory made by the master before it forks; a
 * slot holds the pid of its worker, so the master frees the slots of a
 * worker that died while hashing.
 */
#ifndef HASHCAP_H
#define HASHCAP_H

#include <sys/types.h>

#define HASHCAP_SLOTS	256

struct hashcap;

/* Shared slots, or NULL when shared memory cannot be had (logged). */
struct hashcap	*hashcap_new(void);
void		 hashcap_free(struct hashcap *);

/*
 * Take one of the first max slots: its index, or -1 when all are busy.
 * A NULL cap (a command-line tool, a test) always gives slot 0.
 */
int		 hashcap_acquire(struct hashcap *, int max);
void		 hashcap_release(struct hashcap *, int slot);

/* Free the slots held by a worker that has exited. */
void		 hashcap_reap(struct hashcap *, pid_t);

#endif
