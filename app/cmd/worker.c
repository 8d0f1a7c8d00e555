/* worker.c: chapterhouse worker [--once], the job worker (outgoing e-mail). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "jobs.h"
#include "log.h"

int
cmd_worker(int argc, char **argv, const struct cmd_ctx *ctx)
{
	struct conf	*c;
	int		 i, once = 0, rc;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = 1;
		else {
			fprintf(stderr, "chapterhouse: worker: unknown "
			    "argument \"%s\"\n", argv[i]);
			return 2;
		}
	}
	if ((c = cmd_load_conf(ctx)) == NULL)
		return 1;
	log_setup(c->log_level, "jobs");
	rc = jobs_run(c, once);
	conf_free(c);
	return rc;
}
