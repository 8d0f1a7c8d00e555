/*
 * linkjob.h: the job worker's side of the links rule: a 'links.check'
 * job (queued by a save, sql/029_link_checks.sql) names a revision and
 * its links; each distinct URL is visited once with the link checker
 * (linkcheck.h), one at a time, within the job's deadline, and the
 * results go to ch_guide_links_record(), which raises the dead ones as
 * suggestions while the revision is the post's latest.
 */
#ifndef LINKJOB_H
#define LINKJOB_H

#include <stddef.h>

struct conf;
struct jobs_db;
struct linkcheck_opts;

/* The link checker's options from the configuration c. */
void	linkjob_opts(const struct conf *c, struct linkcheck_opts *o);

/*
 * Carry out the 'links.check' job whose payload is the JSON text
 * payload ({"unit_id","post_id","revision","links":[{"url","start",
 * "end"}]}).  Returns 1 when done, 0 when it cannot succeed (a
 * malformed payload; why in err, size n), -1 when the database failed
 * (logged; the connection is dropped and the job is tried again).
 */
int	linkjob_run(struct jobs_db *db, const struct conf *c,
	    const char *payload, char *err, size_t n);

/*
 * What failed, as a writer reads it, for a check's result: "404 Not
 * Found", "no answer within 10 s", "address not allowed"...  Written
 * into dst (size n); "" for a link that works.  secs is the per-link
 * timeout the check had.
 */
struct linkcheck_result;
void	linkjob_what(const struct linkcheck_result *res, long secs,
	    char *dst, size_t n);

/*
 * Record results (the JSON text of [{"url","start","end","status",
 * "http_status","error"}]) of revision rev of post p of unit u:
 * 1 with *raised, the suggestions raised; -1 (connection dropped).
 */
int	linkjob_db_record(struct jobs_db *db, long long u, long long p,
	    long long rev, const char *results, int *raised);

#endif
