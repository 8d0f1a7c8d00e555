/*
 * notify.c: a worker's listener, which keeps its memory of public pages
 * (public_mem.c) current.
 *
 * The worker's connection LISTENs on ch_public from the moment it is
 * made (db_listen()), so every change committed after the connection's
 * first read is notified to it.  Before answering from memory the
 * worker reads, without waiting, what PostgreSQL sent (db_notified())
 * and forgets the pages of each unit named.  A notification sent while
 * the connection was down is lost: a lost or replaced connection
 * (db_generation()) forgets everything.
 */
#include "config.h"

#include "db.h"
#include "notify.h"
#include "public_mem.h"

static void
forget(void *arg, const char *slug)
{
	public_mem_forget(arg, slug);
}

int
notify_check(struct notify *n)
{
	if (db_notified(n->db, forget, n->mem) < 0) {
		public_mem_clear(n->mem);
		return 0;
	}
	if (db_generation(n->db) != n->gen) {
		public_mem_clear(n->mem);
		n->gen = db_generation(n->db);
	}
	return 1;
}

void
notify_settle(struct notify *n)
{
	if (db_generation(n->db) == n->gen)
		return;
	public_mem_clear(n->mem);
	n->gen = db_generation(n->db);
}
