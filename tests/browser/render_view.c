/*
 * render_view.c: render one view of templates/ with a given context, for
 * the browser tests.
 *
 *	render_view TEMPLATES_DIR VIEW [EXTRA.html ...] < context.json
 *
 * The views of TEMPLATES_DIR are loaded as the server loads them; each
 * EXTRA file (a view kept with the tests, such as a style guide page
 * that fills the layout) is added under its base name without ".html".
 * VIEW is rendered with the JSON object read from standard input plus
 * "site" (name Chapterhouse and this version) when the object has none,
 * and the HTML written to standard output.  This lets a browser flow
 * show the real layout in states no handler produces yet (signed in,
 * with a notice and an alert).  Exits 0, or 1 with a message.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "mustache.h"
#include "util.h"
#include "views.h"

static int
add_extra(struct mustache_set *set, const char *path)
{
	const char	*base = strrchr(path, '/');
	char		*text, *name, err[512];
	size_t		 len, n;
	int		 ok;

	base = base == NULL ? path : base + 1;
	name = xstrdup(base);
	n = strlen(name);
	if (n > 5 && strcmp(name + n - 5, ".html") == 0)
		name[n - 5] = '\0';
	if ((text = read_file(path, 1024 * 1024, &len)) == NULL) {
		fprintf(stderr, "render_view: could not read %s: %s\n", path,
		    strerror(errno));
		free(name);
		return 0;
	}
	if (!(ok = mustache_set_add(set, name, text, len, err, sizeof(err))))
		fprintf(stderr, "render_view: %s: %s\n", path, err);
	free(text);
	free(name);
	return ok;
}

int
main(int argc, char *argv[])
{
	struct mustache_set	*set;
	const struct mustache	*t;
	struct buf		 out;
	json_error_t		 jerr;
	json_t			*ctx;
	char			 err[1024];
	int			 i, rc = 1;

	if (argc < 3) {
		fprintf(stderr, "usage: render_view TEMPLATES_DIR VIEW "
		    "[EXTRA.html ...] < context.json\n");
		return 2;
	}
	if ((set = views_load(argv[1], err, sizeof(err))) == NULL) {
		fprintf(stderr, "render_view: %s\n", err);
		return 1;
	}
	buf_init(&out);
	ctx = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(ctx)) {
		fprintf(stderr, "render_view: standard input: line %d: %s\n",
		    jerr.line, ctx == NULL ? jerr.text : "not a JSON object");
		goto out;
	}
	if (json_object_get(ctx, "site") == NULL)
		json_object_set_new(ctx, "site", json_pack("{s:s, s:s}",
		    "name", "Chapterhouse", "version", PACKAGE_VERSION));
	for (i = 3; i < argc; i++)
		if (!add_extra(set, argv[i]))
			goto out;
	if ((t = mustache_set_get(set, argv[2])) == NULL) {
		fprintf(stderr, "render_view: no view named \"%s\"\n", argv[2]);
		goto out;
	}
	if (!mustache_render(t, set, ctx, mustache_esc_for(argv[2]), &out,
	    err, sizeof(err))) {
		fprintf(stderr, "render_view: %s: %s\n", argv[2], err);
		goto out;
	}
	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		perror("render_view: standard output");
		goto out;
	}
	rc = 0;
out:
	json_decref(ctx);
	buf_free(&out);
	mustache_set_free(set);
	return rc;
}
