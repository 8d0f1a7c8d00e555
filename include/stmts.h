/*
 * stmts.h: the statement tables of every *_db.c module.  db.c prepares
 * all of them on each new connection; the statement test prepares them
 * against a freshly migrated database.
 */
#ifndef STMTS_H
#define STMTS_H

#include "db.h"

extern const struct db_stmts	 health_stmts;
extern const struct db_stmts	 auth_stmts;
extern const struct db_stmts	 outbox_stmts;
extern const struct db_stmts	 unit_stmts;
extern const struct db_stmts	 member_stmts;
extern const struct db_stmts	 audit_stmts;
extern const struct db_stmts	 policy_stmts;
extern const struct db_stmts	 jobs_stmts;
extern const struct db_stmts	 reminders_stmts;
extern const struct db_stmts	 directory_stmts;
extern const struct db_stmts	 home_stmts;
extern const struct db_stmts	 post_stmts;
extern const struct db_stmts	 review_stmts;
extern const struct db_stmts	 preview_stmts;
extern const struct db_stmts	 review_auto_stmts;
extern const struct db_stmts	 review_policy_stmts;
extern const struct db_stmts	 page_stmts;
extern const struct db_stmts	 rules_stmts;
extern const struct db_stmts	 findings_stmts;
extern const struct db_stmts	 stats_stmts;
extern const struct db_stmts	 links_stmts;
extern const struct db_stmts	 linkjob_stmts;
extern const struct db_stmts	 training_stmts;
extern const struct db_stmts	 report_stmts;
extern const struct db_stmts	 public_stmts;
extern const struct db_stmts	 training_remind_stmts;
extern const struct db_stmts	 training_page_stmts;

/* NULL-terminated list of all tables. */
extern const struct db_stmts	*const db_tables[];

#endif
