/*
 * t_mustache_spec.c: the Mustache specification, every test of every JSON
 * file in its directory: $CH_MUSTACHE_SPEC, by default
 * $CH_SRCDIR/../shared/spec/mustache.  Lambdas are not supported (jansson
 * values have no functions), so the optional ~lambdas.json is left out.
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"
#include "tap.h"
#include "util.h"

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char * const *)a, *(char * const *)b);
}

/* Print a labelled string as a JSON string, so whitespace shows. */
static void
show(const char *label, const char *s)
{
	json_t	*j = json_string(s != NULL ? s : "");
	char	*d = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	printf("#   %-9s %s\n", label, d != NULL ? d : "(not UTF-8)");
	free(d);
	json_decref(j);
}

/* Run one test of file; returns 1 when it passes. */
static int
run(const char *file, json_t *test)
{
	struct mustache_set	*set;
	struct mustache		*t = NULL;
	struct buf		 out;
	const char		*name, *text, *want, *key;
	json_t			*partials, *v;
	char			 err[512];
	int			 pass = 0;

	name = json_string_value(json_object_get(test, "name"));
	text = json_string_value(json_object_get(test, "template"));
	want = json_string_value(json_object_get(test, "expected"));
	partials = json_object_get(test, "partials");
	set = mustache_set_new();
	buf_init(&out);
	err[0] = '\0';
	if (name == NULL || text == NULL || want == NULL) {
		snprintf(err, sizeof(err), "malformed test");
		goto done;
	}
	json_object_foreach(partials, key, v)
		if (!mustache_set_add(set, key, json_string_value(v),
		    json_string_length(v), err, sizeof(err)))
			goto done;
	if ((t = mustache_compile(name, text, strlen(text), err,
	    sizeof(err))) == NULL)
		goto done;
	if (!mustache_render(t, set, json_object_get(test, "data"),
	    MUSTACHE_ESC_HTML, &out, err, sizeof(err)))
		goto done;
	pass = strcmp(out.data, want) == 0;
done:
	ok(pass, "%s: %s", file, name != NULL ? name : "(no name)");
	if (!pass) {
		show("template", text);
		show("want", want);
		show("got", out.data);
		if (err[0] != '\0')
			printf("#   error     %s\n", err);
	}
	mustache_free(t);
	mustache_set_free(set);
	buf_free(&out);
	return pass;
}

/* Run the tests of one file; adds to *passed. */
static void
run_file(const char *dir, const char *file, int *passed)
{
	json_error_t	 jerr;
	json_t		*root, *test;
	char		 path[4096];
	size_t		 i;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >=
	    sizeof(path)) {
		ok(0, "%s: path too long", file);
		return;
	}
	if ((root = json_load_file(path, 0, &jerr)) == NULL) {
		ok(0, "%s: could not parse: %s", file, jerr.text);
		return;
	}
	json_array_foreach(json_object_get(root, "tests"), i, test)
		*passed += run(file, test);
	json_decref(root);
}

int
main(void)
{
	const char	*env, *src;
	char		 dir[4096], **files = NULL;
	struct dirent	*de;
	DIR		*d;
	size_t		 n = 0, len, i;
	int		 passed = 0, rc;

	if ((env = getenv("CH_MUSTACHE_SPEC")) != NULL && *env != '\0')
		snprintf(dir, sizeof(dir), "%s", env);
	else {
		src = getenv("CH_SRCDIR");
		snprintf(dir, sizeof(dir), "%s/../shared/spec/mustache",
		    src != NULL && *src != '\0' ? src : ".");
	}
	if ((d = opendir(dir)) == NULL) {
		printf("1..0 # SKIP mustache spec not found at %s\n", dir);
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		len = strlen(de->d_name);
		if (len < 5 || strcmp(de->d_name + len - 5, ".json") != 0)
			continue;
		if (strncmp(de->d_name, "~lambdas", 8) == 0) {
			printf("# %s left out: lambdas are not supported\n",
			    de->d_name);
			continue;
		}
		files = xreallocarray(files, n + 1, sizeof(*files));
		files[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(files, n, sizeof(*files), cmp_names);
	for (i = 0; i < n; i++) {
		run_file(dir, files[i], &passed);
		free(files[i]);
	}
	free(files);
	rc = tap_done();
	printf("# mustache spec: %d of %d passed\n", passed, tap_n);
	return rc;
}
