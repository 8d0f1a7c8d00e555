/* views.c: load and compile the templates directory at startup. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mustache.h"
#include "util.h"
#include "views.h"

#define VIEW_MAX	(1024 * 1024)

/*
 * Add one file of dir, named by its path under the templates directory
 * (sub/, or "" at the top) without ".html"; 1, or 0 with err rewritten
 * to name the path.
 */
static int
add(struct mustache_set *set, const char *dir, const char *sub,
    const char *file, char *err, size_t n)
{
	char	 path[4096], name[256], msg[1024];
	char	*text;
	size_t	 len, flen;
	int	 ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path) || (size_t)snprintf(name, sizeof(name), "%s%s", sub,
	    file) >= sizeof(name)) {
		snprintf(err, n, "%s/%s: name too long", dir, file);
		return 0;
	}
	flen = strlen(name);
	if (flen > 5 && strcmp(name + flen - 5, ".html") == 0)
		name[flen - 5] = '\0';
	if ((text = read_file(path, VIEW_MAX, &len)) == NULL) {
		snprintf(err, n, "could not read %s: %s", path,
		    strerror(errno));
		return 0;
	}
	ok = mustache_set_add(set, name, text, len, msg, sizeof(msg));
	free(text);
	if (!ok) {
		len = strlen(name);
		/* "name:line:col: ..." becomes "dir/file:line:col: ..." */
		if (strncmp(msg, name, len) == 0 && msg[len] == ':')
			snprintf(err, n, "%s%s", path, msg + len);
		else
			snprintf(err, n, "%s: %s", path, msg);
	}
	return ok;
}

/* Whether file is a template: a name ending in .html or .txt. */
static int
is_view(const char *file)
{
	size_t	 len = strlen(file);

	return file[0] != '.' && ((len > 5 &&
	    strcmp(file + len - 5, ".html") == 0) || (len > 4 &&
	    strcmp(file + len - 4, ".txt") == 0));
}

/*
 * Add the templates of dir (sub: "" at the top, "posts/" in a folder of
 * it, which is read one level deep); 1, or 0 with err set.
 */
static int
add_dir(struct mustache_set *set, const char *dir, const char *sub,
    char *err, size_t n)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		 path[4096], inner[256];
	int		 ok = 1;

	if ((d = opendir(dir)) == NULL) {
		snprintf(err, n, "could not open the templates directory "
		    "\"%s\": %s", dir, strerror(errno));
		return 0;
	}
	while (ok && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (is_view(de->d_name)) {
			ok = add(set, dir, sub, de->d_name, err, n);
			continue;
		}
		if (*sub != '\0' || (size_t)snprintf(path, sizeof(path),
		    "%s/%s", dir, de->d_name) >= sizeof(path) ||
		    stat(path, &st) == -1 || !S_ISDIR(st.st_mode))
			continue;
		if ((size_t)snprintf(inner, sizeof(inner), "%s/",
		    de->d_name) >= sizeof(inner)) {
			snprintf(err, n, "%s: name too long", path);
			ok = 0;
		} else
			ok = add_dir(set, path, inner, err, n);
	}
	closedir(d);
	return ok;
}

struct mustache_set *
views_load(const char *dir, char *err, size_t n)
{
	struct mustache_set	*set = mustache_set_new();

	if (!add_dir(set, dir, "", err, n)) {
		mustache_set_free(set);
		return NULL;
	}
	return set;
}
