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

/*
 * Add every .html and .txt file of dir/sub (sub "" for dir itself), each
 * named sub/name; the folders of dir itself are read once too, so
 * templates/posts/edit.html is the view "posts/edit".  1, or 0 with err.
 */
static int
add_dir(struct mustache_set *set, const char *dir, const char *sub,
    char *err, size_t n)
{
	char		 path[4096], file[512];
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	size_t		 len;
	int		 ok = 1;

	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", dir,
	    *sub != '\0' ? "/" : "", sub) >= sizeof(path) ||
	    (d = opendir(path)) == NULL) {
		snprintf(err, n, "could not open the templates directory "
		    "\"%s\": %s", path, strerror(errno));
		return 0;
	}
	while (ok && (de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || (size_t)snprintf(file,
		    sizeof(file), "%s%s%s", sub, *sub != '\0' ? "/" : "",
		    de->d_name) >= sizeof(file))
			continue;
		if (*sub == '\0' && snprintf(path, sizeof(path), "%s/%s",
		    dir, file) > 0 && stat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode)) {
			ok = add_dir(set, dir, file, err, n);
			continue;
		}
		if ((len > 5 && strcmp(de->d_name + len - 5, ".html") == 0) ||
		    (len > 4 && strcmp(de->d_name + len - 4, ".txt") == 0))
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
	if (!add_dir(set, dir, "", err, n)) {
		mustache_set_free(set);
		set = NULL;
	}
	return set;
}
