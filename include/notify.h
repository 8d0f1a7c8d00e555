/*
 * notify.h: a worker's listener (app/server/notify.c): it keeps the
 * pages of public_mem.h current with what PostgreSQL notifies on
 * channel ch_public (sql/038_public_notify.sql).
 */
#ifndef NOTIFY_H
#define NOTIFY_H

struct db;
struct public_mem;

struct notify {
	struct db		*db;
	struct public_mem	*mem;
	unsigned		 gen;	/* the connection the memory trusts */
};

/* The channel; db_listen() it before db_connect(). */
#define NOTIFY_CHANNEL	"ch_public"

/*
 * Between requests, without waiting: forget the pages of each unit
 * notified since the last call.  Returns 1 when the memory may be
 * answered from, or 0 when the connection is down or was replaced
 * (notifications may have been missed): then everything is forgotten.
 */
int	notify_check(struct notify *);

/*
 * After a request the server answered: when its connection was
 * replaced meanwhile, forget what was kept under the old one.  The
 * page just rendered was read under the new one, which listened first.
 */
void	notify_settle(struct notify *);

#endif
