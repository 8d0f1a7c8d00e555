/*
 * conf.h: the configuration file and its environment overrides.
 *
 * The file holds "key = value" lines; blank lines and lines starting with
 * '#' are ignored; a value may be wrapped in double quotes.  Every key may
 * also come from the environment as CHAPTERHOUSE_<KEY> (upper case), which
 * wins over the file.  Unknown keys, repeated keys and bad values are
 * errors that name the file and line (or the variable).
 */
#ifndef CONF_H
#define CONF_H

#include <stddef.h>

#include "log.h"

#define CONF_DEFAULT_PATH	"conf/chapterhouse.conf"

/* What a link check may reach besides public addresses. */
#define CONF_ALLOW_PUBLIC	0	/* nothing */
#define CONF_ALLOW_LOOPBACK	1	/* loopback addresses (tests) */
#define CONF_ALLOW_PRIVATE	2	/* every non-public address */

struct conf {
	char		*listen;		/* unix socket path or
						   host:port */
	int		 socket_mode;		/* permissions of a unix
						   socket */
	int		 workers;		/* worker processes */
	int		 backlog;		/* listen backlog */
	char		*database;		/* libpq conninfo for serving */
	char		*migrate_database;	/* libpq conninfo for migrate */
	char		*worker_database;	/* ... for the job worker */
	char		*cli_database;		/* ... for "user" */
	char		*sql_dir;		/* migrations */
	char		*templates_dir;		/* Mustache views */
	char		*site_name;		/* shown in every page title */
	size_t		 max_body;		/* request body limit, bytes */
	int		 max_fields;		/* fields per query or form */
	size_t		 max_field_length;	/* bytes per field value */
	enum log_level	 log_level;
	int		 shutdown_timeout;	/* seconds for in-flight
						   requests */
	int		 db_connect_timeout;	/* seconds */
	char		*public_url;		/* base of links in e-mail */
	int		 session_idle_timeout;	/* seconds */
	int		 session_max_age;	/* seconds */
	int		 page_memory;		/* milliseconds (page_mem.h) */
	int		 max_hashes;		/* concurrent scrypt runs */
	int		 login_failures_account;
	int		 login_failures_address;
	int		 login_window;		/* seconds */
	int		 confirm_token_ttl;	/* seconds */
	int		 reset_token_ttl;	/* seconds */
	char		*mail_from;
	char		*smtp_url;
	int		 smtp_starttls;		/* boolean */
	char		*smtp_user;
	char		*smtp_password;
	int		 smtp_timeout;		/* seconds */
	int		 job_max_attempts;
	int		 job_retry_base;	/* seconds */
	int		 job_retry_max;		/* seconds */
	int		 job_lease;		/* seconds */
	int		 reminder_after;	/* seconds; 0: no reminders */
	int		 training_remind_assigned; /* mail an assignment */
	int		 training_remind_before;	/* days; 0: none */
	int		 training_remind_overdue; /* mail when overdue */
	int		 link_check_timeout;	/* seconds per link */
	int		 link_check_connect_timeout; /* seconds */
	size_t		 link_check_max_bytes;	/* of a body read */
	int		 link_check_job_timeout; /* seconds per job */
	int		 link_check_allow;	/* CONF_ALLOW_* */
};

/*
 * Load the configuration: defaults, then the file at path (which must exist
 * when must_exist is set), then the environment.  Returns a new conf on
 * success, or NULL after writing what is wrong into err (size n).
 */
struct conf	*conf_load(const char *path, int must_exist, char *err,
		    size_t n);

void		 conf_free(struct conf *);

/* Print every key, its default and its meaning (for --help). */
void		 conf_usage(void);

#endif
