/* views.c: load and compile the templates directory at startup. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"
#include "util.h"
#include "views.h"

#define VIEW_MAX	(1024 * 1024)

/* Add one file; 1, or 0 with err rewritten to name the path. */
static int
add(struct mustache_set *set, const char *dir, const char *file, char *err,
    size_t n)
{
	char	 path[4096], name[256], msg[1024];
	char	*text;
	size_t	 len, flen = strlen(file), nlen;
	int	 ok;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path) || flen >= sizeof(name)) {
		snprintf(err, n, "%s/%s: name too long", dir, file);
		return 0;
	}
	memcpy(name, file, flen + 1);
	if (flen > 5 && strcmp(file + flen - 5, ".html") == 0)
		name[flen - 5] = '\0';
	if ((text = read_file(path, VIEW_MAX, &len)) == NULL) {
		snprintf(err, n, "could not read %s: %s", path,
		    strerror(errno));
		return 0;
	}
	ok = mustache_set_add(set, name, text, len, msg, sizeof(msg));
	free(text);
	if (!ok) {
		nlen = strlen(name);
		/* "name:line:col: ..." becomes "dir/file:line:col: ..." */
		if (strncmp(msg, name, nlen) == 0 && msg[nlen] == ':')
			snprintf(err, n, "%s%s", path, msg + nlen);
		else
			snprintf(err, n, "%s: %s", path, msg);
	}
	return ok;
}

/* Whether file is a template: a .html or .txt file, not hidden. */
static int
is_view(const char *file)
{
	size_t	 len = strlen(file);

	return file[0] != '.' && ((len > 5 && strcmp(file + len - 5,
	    ".html") == 0) || (len > 4 && strcmp(file + len - 4, ".txt") == 0));
}

/* Whether dir/name is a folder. */
static int
is_dir(const char *dir, const char *name)
{
	char		 path[4096];
	struct stat	 st;

	return (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) <
	    sizeof(path) && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * Add the templates of dir/sub (sub NULL: of dir itself), named
 * "sub/file" for a folder's (a feature's templates/posts/edit.html is
 * "posts/edit"); folders one level deep.  1, or 0 with err set.
 */
static int
add_dir(struct mustache_set *set, const char *dir, const char *sub,
    char *err, size_t n)
{
	struct dirent	*de;
	DIR		*d;
	char		 path[4096], file[512];
	int		 ok = 1;

	if ((size_t)snprintf(path, sizeof(path), sub == NULL ? "%s" :
	    "%s/%s", dir, sub) >= sizeof(path)) {
		snprintf(err, n, "%s/%s: name too long", dir, sub);
		return 0;
	}
	if ((d = opendir(path)) == NULL) {
		snprintf(err, n, "could not open the templates directory "
		    "\"%s\": %s", path, strerror(errno));
		return 0;
	}
	while (ok && (de = readdir(d)) != NULL) {
		if (sub == NULL && de->d_name[0] != '.' &&
		    is_dir(path, de->d_name))
			ok = add_dir(set, dir, de->d_name, err, n);
		else if (!is_view(de->d_name))
			continue;
		else if (sub == NULL)
			ok = add(set, dir, de->d_name, err, n);
		else if ((size_t)snprintf(file, sizeof(file), "%s/%s", sub,
		    de->d_name) >= sizeof(file)) {
			snprintf(err, n, "%s/%s: name too long", path,
			    de->d_name);
			ok = 0;
		} else
			ok = add(set, dir, file, err, n);
	}
	closedir(d);
	return ok;
}

struct mustache_set *
views_load(const char *dir, char *err, size_t n)
{
	struct mustache_set	*set;

	set = mustache_set_new();
	if (!add_dir(set, dir, NULL, err, n)) {
		mustache_set_free(set);
		set = NULL;
	}
	return set;
}
