/* version.c: chapterhouse version. */
#include "config.h"

#include <stdio.h>

#include "cmd.h"

int
cmd_version(int argc, char **argv, const struct cmd_ctx *ctx)
{
	(void)ctx;
	if (argc > 1) {
		fprintf(stderr, "chapterhouse: version takes no arguments "
		    "(got \"%s\")\n", argv[1]);
		return 2;
	}
	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	return 0;
}
