/*
 * mustache_render.c: walk a compiled template over a jansson context.
 *
 * Rendering reads the template and the data and writes the output buffer,
 * nothing else, so one compiled template serves any number of renders.
 * Three chains live on the C stack: the context stack; the indentation,
 * to which each standalone partial, parent or block adds a piece; and the
 * arguments of the parents being expanded.  Arguments are searched from
 * the outermost parent inwards, so the template that started the chain of
 * inheritance has the last word on every block.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "html.h"
#include "mustache.h"
#include "mustache_impl.h"

struct ctx {
	json_t			*v;
	const struct ctx	*up;
};

struct indent {
	const char		*s;
	size_t			 len;
	const struct indent	*up;
};

/* A parent being expanded: its block kids override the blocks inside. */
struct args {
	const struct mnode	*parent;
	const struct mustache	*tmpl;	/* the template holding the parent */
	const struct indent	*ind;	/* the indentation at the parent */
	const struct args	*up;
};

struct render {
	const struct mustache_set	*set;
	const struct mustache		*cur;	/* template of the node
						   walked */
	struct buf			*out;
	size_t				 start;	/* out->len on entry */
	enum mustache_esc		 esc;
	unsigned			 depth;
	unsigned long			 steps;
	char				*err;
	size_t				 errlen;
};

static int	render_nodes(struct render *, const struct mnode *, size_t,
		    unsigned, const struct ctx *, const struct indent *,
		    const struct args *, int);

__attribute__((format(printf, 3, 4)))
static int
fail(struct render *r, const struct mnode *n, const char *fmt, ...)
{
	va_list	 ap;
	int	 len;

	len = snprintf(r->err, r->errlen, "%s:%u:%u: ", r->cur->name, n->line,
	    n->col);
	if (len >= 0 && (size_t)len < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + len, r->errlen - (size_t)len, fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* Count one more level of nesting; returns 1, or 0 with an error. */
static int
descend(struct render *r, const struct mnode *n)
{
	if (r->depth >= MUSTACHE_MAX_DEPTH) {
		if (n->type == MN_SECTION || n->type == MN_INVERTED)
			return fail(r, n, "sections nested too deeply");
		return fail(r, n, "%s '%.64s' nested too deeply (recursion?)",
		    n->type == MN_BLOCK ? "block" : n->type == MN_PARENT ?
		    "parent" : "partial", n->name);
	}
	r->depth++;
	return 1;
}

static void
put_indent(struct render *r, const struct indent *ind)
{
	if (ind == NULL)
		return;
	put_indent(r, ind->up);
	buf_add(r->out, ind->s, ind->len);
}

/* A real in the fewest digits that read back as the same double. */
static void
put_real(struct buf *b, double d)
{
	char	 s[40];
	int	 prec;

	for (prec = 1; prec < 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, d);
		if (strtod(s, NULL) == d)
			break;
	}
	if (prec == 17)
		snprintf(s, sizeof(s), "%.17g", d);
	buf_puts(b, s);
}

/* An integer in decimal: what printf's %lld writes, without printf. */
static void
put_integer(struct buf *b, json_int_t i)
{
	char			 s[24], *p = s + sizeof(s);
	unsigned long long	 u;

	u = i < 0 ? 0 - (unsigned long long)i : (unsigned long long)i;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) > 0);
	if (i < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(s + sizeof(s) - p));
}

static void
put_value(struct render *r, json_t *v, int escape)
{
	if (v == NULL)
		return;
	switch (json_typeof(v)) {
	case JSON_STRING:
		if (escape && r->esc == MUSTACHE_ESC_HTML)
			html_text_n(r->out, json_string_value(v),
			    json_string_length(v));
		else
			buf_add(r->out, json_string_value(v),
			    json_string_length(v));
		break;
	case JSON_INTEGER:
		put_integer(r->out, json_integer_value(v));
		break;
	case JSON_REAL:
		put_real(r->out, json_real_value(v));
		break;
	case JSON_TRUE:
		buf_puts(r->out, "true");
		break;
	case JSON_FALSE:
		buf_puts(r->out, "false");
		break;
	default:
		break;
	}
}

/*
 * The value of a tag's name: the first part is looked up the context
 * stack, the others inside what it found.  NULL when missing.
 */
static json_t *
lookup(const struct mnode *n, const struct ctx *c)
{
	const char	*part = n->parts;
	json_t		*v = NULL;
	size_t		 i;

	if (n->nparts == 0)
		return c->v;
	for (; c != NULL; c = c->up)
		if (json_is_object(c->v) &&
		    (v = json_object_get(c->v, part)) != NULL)
			break;
	for (i = 1; v != NULL && i < n->nparts; i++) {
		part += strlen(part) + 1;
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
	}
	return v;
}

static int
truthy(json_t *v)
{
	return v != NULL && !json_is_null(v) && !json_is_false(v) &&
	    !(json_is_array(v) && json_array_size(v) == 0);
}

static int
render_section(struct render *r, const struct mnode *n, const struct ctx *c,
    const struct indent *ind, const struct args *a)
{
	json_t		*v = lookup(n, c), *e;
	struct ctx	 sub;
	unsigned	 endbol = n->flags & MN_END_BOL;
	size_t		 i;
	int		 ok = 1;

	if (truthy(v) == (n->type == MN_INVERTED))
		return 1;
	if (!descend(r, n))
		return 0;
	sub.up = c;
	if (n->type == MN_INVERTED)
		ok = render_nodes(r, n->kids, n->nkids, endbol, c, ind, a, 0);
	else if (json_is_array(v)) {
		json_array_foreach(v, i, e) {
			sub.v = e;
			if (!(ok = render_nodes(r, n->kids, n->nkids, endbol,
			    &sub, ind, a, 0)))
				break;
		}
	} else {
		sub.v = v;
		ok = render_nodes(r, n->kids, n->nkids, endbol, &sub, ind, a,
		    0);
	}
	r->depth--;
	return ok;
}

/*
 * A partial, or a parent whose block kids become arguments.  Standalone,
 * it is indented by the blanks before its tag; otherwise not at all.
 */
static int
render_partial(struct render *r, const struct mnode *n, const struct ctx *c,
    const struct indent *ind, const struct args *a)
{
	const struct mustache	*t, *saved = r->cur;
	struct indent		 sub;
	struct args		 pa;
	int			 ok;

	if ((t = mustache_set_get(r->set, n->name)) == NULL)
		return 1;
	if (!descend(r, n))
		return 0;
	if (n->type == MN_PARENT) {
		pa.parent = n;
		pa.tmpl = r->cur;
		pa.ind = ind;
		pa.up = a;
		a = &pa;
	}
	if (n->flags & MN_STANDALONE) {
		sub.s = n->indent;
		sub.len = n->indentlen;
		sub.up = ind;
		ind = &sub;
	} else
		ind = NULL;
	r->cur = t;
	ok = render_nodes(r, t->kids, t->nkids, 0, c, ind, a, 0);
	r->cur = saved;
	r->depth--;
	return ok;
}

/*
 * A block: the outermost argument of that name, or its own default.  A
 * standalone block indents what it renders by its own indentation (that
 * of its default content, else the blanks before its tag); an argument
 * placed inline keeps the indentation of the place it was written at.
 */
static int
render_block(struct render *r, const struct mnode *n, const struct ctx *c,
    const struct indent *ind, const struct args *a)
{
	const struct mustache	*saved = r->cur;
	const struct mnode	*body = n, *m;
	const struct args	*f, *from = NULL;
	struct indent		 sub;
	size_t			 i;
	int			 ok, first = 0;

	for (f = a; f != NULL; f = f->up)
		for (i = 0; i < f->parent->nkids; i++) {
			m = &f->parent->kids[i];
			if (m->type == MN_BLOCK &&
			    strcmp(m->name, n->name) == 0) {
				body = m;
				from = f;
				break;
			}
		}
	if (!descend(r, n))
		return 0;
	if (n->flags & MN_STANDALONE) {
		sub.s = n->bindentlen > 0 ? n->bindent : n->indent;
		sub.len = n->bindentlen > 0 ? n->bindentlen : n->indentlen;
		sub.up = ind;
		ind = &sub;
		first = 1;
	} else if (from != NULL)
		ind = from->ind;
	if (from != NULL)
		r->cur = from->tmpl;
	ok = render_nodes(r, body->kids, body->nkids, body->flags & MN_END_BOL,
	    c, ind, a, first);
	r->cur = saved;
	r->depth--;
	return ok;
}

static int
render_node(struct render *r, const struct mnode *n, const struct ctx *c,
    const struct indent *ind, const struct args *a)
{
	switch (n->type) {
	case MN_TEXT:
		buf_add(r->out, n->text, n->textlen);
		return 1;
	case MN_VAR:
	case MN_RAW:
		put_value(r, lookup(n, c), n->type == MN_VAR);
		return 1;
	case MN_SECTION:
	case MN_INVERTED:
		return render_section(r, n, c, ind, a);
	case MN_PARTIAL:
	case MN_PARENT:
		return render_partial(r, n, c, ind, a);
	case MN_BLOCK:
		return render_block(r, n, c, ind, a);
	case MN_NOP:
		return 1;
	}
	return 1;
}

/*
 * Render a list of nodes.  The indentation goes before every node that
 * starts a line, before the first one too when first_bol is set, and at
 * the end when endbol says the closing tag starts a line.
 */
static int
render_nodes(struct render *r, const struct mnode *kids, size_t nkids,
    unsigned endbol, const struct ctx *c, const struct indent *ind,
    const struct args *a, int first_bol)
{
	const struct mnode	*n;
	size_t			 i;

	for (i = 0; i < nkids; i++) {
		n = &kids[i];
		if (++r->steps > MUSTACHE_MAX_STEPS)
			return fail(r, n, "rendering takes more than %lu steps",
			    MUSTACHE_MAX_STEPS);
		if (r->out->len - r->start > MUSTACHE_MAX_OUTPUT)
			return fail(r, n, "output larger than %lu bytes",
			    MUSTACHE_MAX_OUTPUT);
		if (!(n->flags & MN_STANDALONE) &&
		    ((n->flags & MN_BOL) || (i == 0 && first_bol)))
			put_indent(r, ind);
		if (!render_node(r, n, c, ind, a))
			return 0;
	}
	if (endbol)
		put_indent(r, ind);
	return 1;
}

int
mustache_render(const struct mustache *t, const struct mustache_set *set,
    json_t *ctx, enum mustache_esc esc, struct buf *out, char *err,
    size_t errlen)
{
	struct render	 r;
	struct ctx	 root;

	memset(&r, 0, sizeof(r));
	r.set = set;
	r.cur = t;
	r.out = out;
	r.start = out->len;
	r.esc = esc;
	r.err = err;
	r.errlen = errlen;
	root.v = ctx;
	root.up = NULL;
	buf_add(out, "", 0);
	if (!render_nodes(&r, t->kids, t->nkids, 0, &root, NULL, NULL, 0)) {
		out->len = r.start;
		out->data[out->len] = '\0';
		return 0;
	}
	return 1;
}
