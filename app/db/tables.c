/* tables.c: the list of every module's statement table. */
#include "config.h"

#include <stddef.h>

#include "stmts.h"

const struct db_stmts *const db_tables[] = {
	&health_stmts,
	&auth_stmts,
	&outbox_stmts,
	&unit_stmts,
	&member_stmts,
	&audit_stmts,
	&policy_stmts,
	&jobs_stmts,
	&reminders_stmts,
	&directory_stmts,
	&home_stmts,
	&post_stmts,
	&review_stmts,
	&preview_stmts,
	&review_auto_stmts,
	&review_policy_stmts,
	&page_stmts,
	&rules_stmts,
	&findings_stmts,
	&stats_stmts,
	&links_stmts,
	&linkjob_stmts,
	&training_stmts,
	&public_stmts,
	&training_remind_stmts,
	&training_page_stmts,
	&report_stmts,
	NULL
};
