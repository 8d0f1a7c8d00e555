/*
 * fuzz_conf.c: libFuzzer target for the configuration file.  The input is
 * written to a scratch file made once with mkstemp() and loaded; a loaded
 * configuration must hold values within every key's bounds.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static char	 path[4096];

static void
remove_scratch(void)
{
	if (path[0] != '\0')
		unlink(path);
}

static int
scratch(void)
{
	const char	*tmp = getenv("TMPDIR");
	int		 fd;

	if (path[0] != '\0')
		return 1;
	snprintf(path, sizeof(path), "%s/fuzz_conf.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0) {
		path[0] = '\0';
		return 0;
	}
	close(fd);
	atexit(remove_scratch);
	return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct conf	*c;
	FILE		*f;
	char		 err[1024];

	if (!scratch())
		abort();
	if ((f = fopen(path, "w")) == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);

	err[0] = '\0';
	if ((c = conf_load(path, 1, err, sizeof(err))) == NULL) {
		if (err[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (c->listen == NULL || c->database == NULL ||
	    c->migrate_database == NULL || c->sql_dir == NULL ||
	    c->site_name == NULL ||
	    c->socket_mode < 0 || c->socket_mode > 0777 ||
	    c->workers < 1 || c->workers > 256 ||
	    c->backlog < 1 || c->backlog > 65535 ||
	    c->max_body < 1024 || c->max_body > (size_t)64 << 20 ||
	    c->max_fields < 1 || c->max_fields > 100000 ||
	    c->max_field_length < 64 || c->max_field_length > (size_t)64 << 20 ||
	    c->log_level < L_DEBUG || c->log_level >= L__MAX ||
	    c->shutdown_timeout < 1 || c->shutdown_timeout > 3600 ||
	    c->db_connect_timeout < 1 || c->db_connect_timeout > 300 ||
	    (c->database[0] != '\0' && c->migrate_database[0] == '\0'))
		__builtin_trap();
	conf_free(c);
	return 0;
}
