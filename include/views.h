/*
 * views.h: the templates of templates/, compiled once at startup (and on
 * reload) into one set.  A file "home.html" is the view "home"; other
 * extensions keep their name ("confirm.txt"), which also selects plain
 * text escaping.  Parents and partials refer to views by these names.
 */
#ifndef VIEWS_H
#define VIEWS_H

#include <stddef.h>

struct mustache_set;

/*
 * Compile every .html and .txt file of dir and of its folders, one level
 * deep: templates/posts/post.html is the view "posts/post".  Returns the
 * set, or NULL with "dir/file:line:column: message" (or an I/O error)
 * in err.
 */
struct mustache_set	*views_load(const char *dir, char *err, size_t n);

#endif
