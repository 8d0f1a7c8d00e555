/* health_db.h: the database side of the health check. */
#ifndef HEALTH_DB_H
#define HEALTH_DB_H

struct req;

/* Run a trivial query; 1 answered, 0 failed, -1 connection down. */
int	health_db_ping(struct req *);

#endif
