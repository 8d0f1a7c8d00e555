/*
 * cmd.h: subcommands of the chapterhouse binary, one file each.
 * A command gets its own arguments (argv[0] is its name) and the
 * configuration path, and returns the process exit status.
 */
#ifndef CMD_H
#define CMD_H

struct cmd_ctx {
	const char	*config_path;
	int		 config_explicit;	/* --config or
						   CHAPTERHOUSE_CONFIG */
};

struct cmd {
	const char	*name;
	int		(*run)(int argc, char **argv, const struct cmd_ctx *);
	const char	*summary;
	const char	*usage;		/* options after the command name */
};

int	cmd_serve(int, char **, const struct cmd_ctx *);
int	cmd_migrate(int, char **, const struct cmd_ctx *);
int	cmd_version(int, char **, const struct cmd_ctx *);
int	cmd_user(int, char **, const struct cmd_ctx *);
int	cmd_worker(int, char **, const struct cmd_ctx *);

/* Load the configuration for a command, or print why not; NULL on error. */
struct conf	*cmd_load_conf(const struct cmd_ctx *);

/* Does argv hold --help or -h? */
int	 cmd_wants_help(int argc, char **argv);

/* Print a command's usage to stdout. */
void	 cmd_usage(const char *name);

#endif
