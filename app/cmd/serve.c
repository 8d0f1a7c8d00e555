/* serve.c: chapterhouse serve, the FastCGI server. */
#include "config.h"

#include <stdio.h>

#include "cmd.h"
#include "conf.h"
#include "server.h"

int
cmd_serve(int argc, char **argv, const struct cmd_ctx *ctx)
{
	struct conf	*c;

	if (argc > 1) {
		fprintf(stderr, "chapterhouse: serve: unknown argument "
		    "\"%s\"\n", argv[1]);
		return 2;
	}
	if ((c = cmd_load_conf(ctx)) == NULL)
		return 1;
	return master_run(ctx->config_path, c);
}
