/* migrate.c: chapterhouse migrate [--status]. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "migrate.h"

int
cmd_migrate(int argc, char **argv, const struct cmd_ctx *ctx)
{
	struct conf	*c;
	int		 i, status_only = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--status") == 0)
			status_only = 1;
		else {
			fprintf(stderr, "chapterhouse: migrate: unknown "
			    "argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if ((c = cmd_load_conf(ctx)) == NULL)
		return 1;
	rc = migrate_run(c->migrate_database, c->sql_dir, status_only,
	    c->db_connect_timeout);
	conf_free(c);
	return rc;
}
