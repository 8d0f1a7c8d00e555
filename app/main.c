/*
 * main.c: the chapterhouse binary.  A table of subcommands, global
 * options (--config, --help, --version), and dispatch.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "util.h"

static const struct cmd cmds[] = {
	{ "serve", cmd_serve, "run the prefork FastCGI server",
	  "serve [--config FILE]\n"
	  "  Listens where the configuration says, forks the workers and\n"
	  "  serves until SIGTERM or SIGINT; SIGHUP re-reads the\n"
	  "  configuration and replaces the workers without dropping\n"
	  "  requests." },
	{ "migrate", cmd_migrate, "apply pending SQL migrations",
	  "migrate [--config FILE] [--status]\n"
	  "  Applies sql_dir/NNN_name.sql files not yet recorded in\n"
	  "  schema_migrations, in order, each in its own transaction.\n"
	  "  --status  list applied and pending migrations, change nothing" },
	{ "user", cmd_user, "create an account or give it hub roles",
	  "user add --email ADDRESS [--name NAME] [--hub-role ROLE]...\n"
	  "         [--password-stdin]\n"
	  "  Creates a confirmed account (or updates the one with that\n"
	  "  address) and grants each hub ROLE: admin, communicator, hr.\n"
	  "  --password-stdin  read the password from standard input;\n"
	  "                    without it, a one-time link to choose the\n"
	  "                    password is printed" },
	{ "worker", cmd_worker, "deliver queued jobs (outgoing e-mail)",
	  "worker [--config FILE] [--once]\n"
	  "  Claims due jobs from the jobs table one at a time and carries\n"
	  "  them out (e-mail through smtp_url), sleeping on LISTEN\n"
	  "  chapterhouse_jobs in between, until SIGTERM or SIGINT, which\n"
	  "  let the job in hand finish.  Several workers may run at once.\n"
	  "  --once  carry out every job due now, then exit" },
	{ "version", cmd_version, "print the version",
	  "version\n  Prints the program name and version." },
};

static void
usage(FILE *f)
{
	size_t	 i;

	fprintf(f, "usage: chapterhouse [--config FILE] COMMAND [OPTIONS]\n\n"
	    "Commands:\n");
	for (i = 0; i < NELEM(cmds); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\nOptions:\n"
	    "  --config FILE  configuration file (default %s, or\n"
	    "                 $CHAPTERHOUSE_CONFIG)\n"
	    "  --help         this text; COMMAND --help for a command\n"
	    "  --version      print the version\n", CONF_DEFAULT_PATH);
}

void
cmd_usage(const char *name)
{
	size_t	 i;

	for (i = 0; i < NELEM(cmds); i++)
		if (strcmp(cmds[i].name, name) == 0) {
			printf("usage: chapterhouse %s\n", cmds[i].usage);
			if (strcmp(name, "version") != 0)
				conf_usage();
		}
}

int
cmd_wants_help(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

struct conf *
cmd_load_conf(const struct cmd_ctx *ctx)
{
	struct conf	*c;
	char		 err[1024];

	c = conf_load(ctx->config_path, ctx->config_explicit, err, sizeof(err));
	if (c == NULL)
		fprintf(stderr, "chapterhouse: %s\n", err);
	return c;
}

/* Remove "--config FILE" or "--config=FILE" from argv; 0 if malformed. */
static int
take_config(int *argc, char **argv, struct cmd_ctx *ctx)
{
	int	 i, j, skip;

	for (i = 1; i < *argc; i++) {
		skip = 0;
		if (strcmp(argv[i], "--config") == 0) {
			if (i + 1 >= *argc)
				return 0;
			ctx->config_path = argv[i + 1];
			skip = 2;
		} else if (strncmp(argv[i], "--config=", 9) == 0) {
			ctx->config_path = argv[i] + 9;
			skip = 1;
		}
		if (skip == 0)
			continue;
		if (ctx->config_path[0] == '\0')
			return 0;
		ctx->config_explicit = 1;
		for (j = i; j + skip <= *argc; j++)
			argv[j] = argv[j + skip];
		*argc -= skip;
		i--;
	}
	return 1;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx	 ctx = { CONF_DEFAULT_PATH, 0 };
	const char	*env;
	size_t		 i;

	if ((env = getenv("CHAPTERHOUSE_CONFIG")) != NULL && *env != '\0') {
		ctx.config_path = env;
		ctx.config_explicit = 1;
	}
	if (!take_config(&argc, argv, &ctx)) {
		fprintf(stderr, "chapterhouse: --config needs a file name\n");
		return 2;
	}
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0)
		return cmd_version(1, argv + 1, &ctx);
	for (i = 0; i < NELEM(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0) {
			if (cmd_wants_help(argc - 1, argv + 1)) {
				cmd_usage(cmds[i].name);
				return 0;
			}
			return cmds[i].run(argc - 1, argv + 1, &ctx);
		}
	fprintf(stderr, "chapterhouse: unknown command \"%s\"\n\n", argv[1]);
	usage(stderr);
	return 2;
}
