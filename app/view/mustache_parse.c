/*
 * mustache_parse.c: compile Mustache text into a tree of nodes, and keep
 * named templates in sets.
 *
 * Compilation is four passes over a list of tags: scan them (delimiters
 * change on the way), pair opening and closing tags, decide which tags
 * stand alone on their line, then build the tree.  Knowing the standalone
 * lines before building lets a block, when it is opened, look at the
 * lines of its body and strip their common indentation: the renderer
 * puts back the indentation of the place the block is expanded at.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mustache.h"
#include "mustache_impl.h"
#include "util.h"

enum tok_type {
	T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL, T_PARENT,
	T_BLOCK, T_COMMENT, T_DELIM
};

struct tok {
	enum tok_type	 type;
	size_t		 start, end;	/* the tag, delimiters included */
	size_t		 cut0, cut1;	/* what the output loses: tag or line */
	size_t		 name, namelen;	/* the trimmed content */
	size_t		 match;		/* matching opening or closing tag */
	unsigned	 line, col;
	int		 standalone;
};

struct parser {
	const char	*tname;
	const char	*s;
	size_t		 len;
	struct tok	*toks;
	size_t		 ntoks, cap;
	size_t		 lpos;		/* line and lstart are those of lpos */
	unsigned	 line;
	size_t		 lstart;
	char		*err;
	size_t		 errlen;
};

/* A node being filled while its closing tag is not reached. */
struct bframe {
	struct mnode	*node;		/* NULL for the template itself */
	struct mnode	*kids;
	size_t		 nkids, cap;
	size_t		 strip;		/* indentation removed from lines */
};

struct mustache_set {
	struct mustache	**v;		/* sorted by name */
	size_t		  n, cap;
};

static int
blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

__attribute__((format(printf, 4, 5)))
static int
fail(struct parser *p, unsigned line, unsigned col, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(p->err, p->errlen, "%s:%u:%u: ", p->tname, line, col);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return 0;
}

/* Line and column of pos; positions must be asked in increasing order. */
static void
locate(struct parser *p, size_t pos, unsigned *line, unsigned *col)
{
	for (; p->lpos < pos; p->lpos++)
		if (p->s[p->lpos] == '\n') {
			p->line++;
			p->lstart = p->lpos + 1;
		}
	*line = p->line;
	*col = (unsigned)(pos - p->lstart + 1);
}

/* Length of a name for messages: long names are cut. */
static int
shown(size_t len)
{
	return len > 64 ? 64 : (int)len;
}

/*
 * Find the end of a tag whose content starts at q: ctag, preceded by pre
 * when pre is not NUL ("}" for {{{x}}}, "=" for {{=a b=}}).  Returns the
 * position of pre or ctag, or len when the tag is not closed.
 */
static size_t
find_close(const struct parser *p, size_t q, char pre, const char *ctag,
    size_t clen)
{
	const char	*h;
	size_t		 from = q;

	for (;;) {
		h = memmem(p->s + from, p->len - from, ctag, clen);
		if (h == NULL)
			return p->len;
		from = (size_t)(h - p->s);
		if (pre == '\0')
			return from;
		if (from > q && p->s[from - 1] == pre)
			return from - 1;
		from++;
	}
}

/* Check the name of a non-comment tag; returns 1, or 0 with an error. */
static int
check_name(struct parser *p, const struct tok *t)
{
	const char	*n = p->s + t->name;
	size_t		 i;
	int		 dotted;

	if (t->namelen == 0)
		return fail(p, t->line, t->col, "empty tag");
	for (i = 0; i < t->namelen; i++)
		if (space(n[i]) || n[i] == '\0')
			return fail(p, t->line, t->col, "invalid name '%.*s'",
			    shown(t->namelen), n);
	dotted = t->type == T_VAR || t->type == T_RAW ||
	    t->type == T_SECTION || t->type == T_INVERTED;
	if (!dotted || (t->namelen == 1 && n[0] == '.'))
		return 1;
	for (i = 0; i < t->namelen; i++)
		if (n[i] == '.' && (i == 0 || i + 1 == t->namelen ||
		    n[i + 1] == '.'))
			return fail(p, t->line, t->col, "invalid name '%.*s'",
			    shown(t->namelen), n);
	return 1;
}

/*
 * Parse the content of {{=open close=}} into the new delimiters.
 * Returns 1, or 0 with an error.
 */
static int
set_delims(struct parser *p, const struct tok *t, const char **o,
    size_t *olen, const char **c, size_t *clen)
{
	const char	*s = p->s;
	size_t		 i = t->name, end = t->name + t->namelen, a, b;

	a = i;
	while (i < end && !space(s[i]))
		i++;
	b = i;
	while (i < end && space(s[i]))
		i++;
	if (b == a || i == end)
		goto bad;
	*o = s + a;
	*olen = b - a;
	a = i;
	while (i < end && !space(s[i]))
		i++;
	if (i != end)
		goto bad;
	*c = s + a;
	*clen = i - a;
	return 1;
bad:
	return fail(p, t->line, t->col, "invalid delimiter change '%.*s'",
	    shown(t->namelen), s + t->name);
}

static struct tok *
add_tok(struct parser *p)
{
	if (p->ntoks == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->toks = xreallocarray(p->toks, p->cap, sizeof(*p->toks));
	}
	memset(&p->toks[p->ntoks], 0, sizeof(*p->toks));
	return &p->toks[p->ntoks++];
}

/* Pass 1: the tags, in order.  Returns 1, or 0 with an error. */
static int
scan(struct parser *p)
{
	const char	*s = p->s, *otag = "{{", *ctag = "}}", *h;
	size_t		 olen = 2, clen = 2, pos = 0, q, e;
	struct tok	*t;
	char		 pre;

	while (pos < p->len &&
	    (h = memmem(s + pos, p->len - pos, otag, olen)) != NULL) {
		t = add_tok(p);
		t->start = (size_t)(h - s);
		locate(p, t->start, &t->line, &t->col);
		q = t->start + olen;
		t->type = T_VAR;
		pre = '\0';
		if (q < p->len) {
			q++;
			switch (s[q - 1]) {
			case '{': t->type = T_RAW; pre = '}'; break;
			case '&': t->type = T_RAW; break;
			case '#': t->type = T_SECTION; break;
			case '^': t->type = T_INVERTED; break;
			case '/': t->type = T_CLOSE; break;
			case '>': t->type = T_PARTIAL; break;
			case '<': t->type = T_PARENT; break;
			case '$': t->type = T_BLOCK; break;
			case '!': t->type = T_COMMENT; break;
			case '=': t->type = T_DELIM; pre = '='; break;
			default: q--; break;
			}
		}
		e = find_close(p, q, pre, ctag, clen);
		if (e == p->len)
			return fail(p, t->line, t->col, "unclosed tag");
		t->end = e + (pre != '\0') + clen;
		while (q < e && space(s[q]))
			q++;
		while (e > q && space(s[e - 1]))
			e--;
		t->name = q;
		t->namelen = e - q;
		pos = t->end;
		if (t->type == T_DELIM) {
			if (!set_delims(p, t, &otag, &olen, &ctag, &clen))
				return 0;
		} else if (t->type != T_COMMENT && !check_name(p, t))
			return 0;
	}
	return 1;
}

static const char *
kind(enum tok_type type)
{
	switch (type) {
	case T_PARENT:
		return "parent";
	case T_BLOCK:
		return "block";
	default:
		return "section";
	}
}

/* Pass 2: pair opening and closing tags.  Returns 1, or 0 with an error. */
static int
pair(struct parser *p)
{
	size_t		*stack, depth = 0, i, o;
	struct tok	*t, *ot;
	int		 ok = 0;

	stack = xreallocarray(NULL, MUSTACHE_MAX_DEPTH, sizeof(*stack));
	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		switch (t->type) {
		case T_SECTION:
		case T_INVERTED:
		case T_PARENT:
		case T_BLOCK:
			if (depth == MUSTACHE_MAX_DEPTH) {
				fail(p, t->line, t->col, "%s nested too deeply",
				    kind(t->type));
				goto out;
			}
			stack[depth++] = i;
			break;
		case T_CLOSE:
			if (depth == 0) {
				fail(p, t->line, t->col,
				    "closing tag '%.*s' without an opening tag",
				    shown(t->namelen), p->s + t->name);
				goto out;
			}
			o = stack[--depth];
			ot = &p->toks[o];
			if (ot->namelen != t->namelen || memcmp(p->s + ot->name,
			    p->s + t->name, t->namelen) != 0) {
				fail(p, t->line, t->col, "closing tag '%.*s' "
				    "does not match %s '%.*s' opened at %u:%u",
				    shown(t->namelen), p->s + t->name,
				    kind(ot->type), shown(ot->namelen),
				    p->s + ot->name, ot->line, ot->col);
				goto out;
			}
			ot->match = i;
			t->match = o;
			break;
		default:
			break;
		}
	}
	if (depth > 0) {
		ot = &p->toks[stack[depth - 1]];
		fail(p, ot->line, ot->col, "unclosed %s '%.*s'",
		    kind(ot->type), shown(ot->namelen), p->s + ot->name);
		goto out;
	}
	ok = 1;
out:
	free(stack);
	return ok;
}

/* Whether only blanks precede pos on its line; *ls is the line start. */
static int
ws_before(const struct parser *p, size_t pos, size_t *ls)
{
	while (pos > 0 && blank(p->s[pos - 1]))
		pos--;
	*ls = pos;
	return pos == 0 || p->s[pos - 1] == '\n';
}

/* Whether only blanks follow pos on its line; *le is the next line. */
static int
ws_after(const struct parser *p, size_t pos, size_t *le)
{
	while (pos < p->len && blank(p->s[pos]))
		pos++;
	if (pos < p->len && p->s[pos] == '\r' && pos + 1 < p->len &&
	    p->s[pos + 1] == '\n')
		pos++;
	if (pos == p->len) {
		*le = pos;
		return 1;
	}
	*le = pos + 1;
	return p->s[pos] == '\n';
}

/*
 * Whether tags a and a + 1, side by side, make a standalone line between
 * them: a parent with no arguments, a parent and its first block, a last
 * block and its parent, an empty block.
 */
static int
pairs_up(const struct parser *p, size_t a)
{
	const struct tok	*t = &p->toks[a], *u = &p->toks[a + 1];

	if (t->end != u->start)
		return 0;
	if (t->type == T_PARENT)
		return t->match == a + 1 || u->type == T_BLOCK;
	if (t->type == T_BLOCK)
		return t->match == a + 1;
	return t->type == T_CLOSE && u->type == T_CLOSE &&
	    p->toks[t->match].type == T_BLOCK &&
	    p->toks[u->match].type == T_PARENT;
}

/*
 * Pass 3: standalone lines.  A tag other than an interpolation alone on
 * its line, but for blanks, takes the whole line out of the output; so
 * do the pairs of pairs_up(), except that an empty block keeps its line
 * ending: what replaces it may need one.
 */
static void
standalone(struct parser *p)
{
	struct tok	*t, *u;
	size_t		 i, ls, le;

	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		t->cut0 = t->start;
		t->cut1 = t->end;
		if (t->type == T_VAR || t->type == T_RAW ||
		    !ws_before(p, t->start, &ls))
			continue;
		if (ws_after(p, t->end, &le)) {
			t->cut0 = ls;
			t->cut1 = le;
			t->standalone = 1;
		} else if (i + 1 < p->ntoks && pairs_up(p, i) &&
		    ws_after(p, p->toks[i + 1].end, &le)) {
			u = &p->toks[++i];
			t->cut0 = ls;
			t->standalone = 1;
			u->cut0 = u->start;
			u->cut1 = u->end;
			if (t->type != T_BLOCK || u->type != T_CLOSE) {
				u->cut1 = le;
				u->standalone = 1;
			}
		}
	}
}

static struct mnode *
add_node(struct bframe *f, enum mnode_type type, unsigned flags,
    const struct tok *t)
{
	struct mnode	*n;

	if (f->nkids == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 8;
		f->kids = xreallocarray(f->kids, f->cap, sizeof(*f->kids));
	}
	n = &f->kids[f->nkids++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->flags = flags;
	if (t != NULL) {
		n->line = t->line;
		n->col = t->col;
	}
	return n;
}

static char *
copy(const char *s, size_t n)
{
	char	*c;

	c = xmalloc(n + 1);
	memcpy(c, s, n);
	c[n] = '\0';
	return c;
}

/*
 * Text from..to, one node per line; a line start loses up to f->strip
 * blanks.  A node that starts a line is kept even when empty, since the
 * renderer writes the indentation there.
 */
static void
add_text(const struct parser *p, struct bframe *f, size_t from, size_t to)
{
	const char	*nl;
	struct mnode	*n;
	size_t		 e, k;
	int		 bol;

	while (from < to) {
		nl = memchr(p->s + from, '\n', to - from);
		e = nl != NULL ? (size_t)(nl - p->s) + 1 : to;
		bol = from == 0 || p->s[from - 1] == '\n';
		for (k = 0; bol && k < f->strip && from < e &&
		    blank(p->s[from]); k++)
			from++;
		if (from < e || bol) {
			n = add_node(f, MN_TEXT, bol ? MN_BOL : 0, NULL);
			n->text = copy(p->s + from, e - from);
			n->textlen = e - from;
		}
		from = e;
	}
}

static void
set_name(const struct parser *p, struct mnode *n, const struct tok *t)
{
	size_t	 i;

	n->name = copy(p->s + t->name, t->namelen);
	if (n->type != MN_VAR && n->type != MN_RAW &&
	    n->type != MN_SECTION && n->type != MN_INVERTED)
		return;
	if (t->namelen == 1 && n->name[0] == '.')
		return;
	n->parts = copy(n->name, t->namelen);
	n->nparts = 1;
	for (i = 0; i < t->namelen; i++)
		if (n->parts[i] == '.') {
			n->parts[i] = '\0';
			n->nparts++;
		}
}

/* The blanks before a standalone tag, less the stripped indentation. */
static void
set_indent(const struct parser *p, struct mnode *n, const struct tok *t,
    size_t strip)
{
	size_t	 len = t->start - t->cut0;

	if (!t->standalone)
		return;
	if (strip > len)
		strip = len;
	n->indent = copy(p->s + t->cut0 + strip, len - strip);
	n->indentlen = len - strip;
}

/*
 * The indentation common to the lines of from..to that are not blank:
 * *len bytes at *ind.
 */
static void
common_indent(const struct parser *p, size_t from, size_t to,
    const char **ind, size_t *len)
{
	const char	*s = p->s, *nl;
	size_t		 e, w, r, k;
	int		 first = 1;

	*ind = s;
	*len = 0;
	while (from < to) {
		nl = memchr(s + from, '\n', to - from);
		e = nl != NULL ? (size_t)(nl - s) : to;
		for (w = from; w < e && blank(s[w]); w++)
			continue;
		for (r = w; r < e && (blank(s[r]) || s[r] == '\r'); r++)
			continue;
		if (r < e) {
			if (first) {
				*ind = s + from;
				*len = w - from;
				first = 0;
			} else {
				for (k = 0; k < *len && k < w - from &&
				    (*ind)[k] == s[from + k]; k++)
					continue;
				*len = k;
			}
		}
		from = e + 1;
	}
}

/*
 * A standalone block strips the indentation common to its body and
 * remembers what it adds to the indentation of the enclosing body.
 */
static size_t
block_strip(const struct parser *p, struct mnode *n, const struct tok *t,
    size_t strip)
{
	const char	*ind;
	size_t		 len;

	if (!t->standalone)
		return strip;
	common_indent(p, t->cut1, p->toks[t->match].cut0, &ind, &len);
	if (len <= strip)
		return strip;
	n->bindent = copy(ind + strip, len - strip);
	n->bindentlen = len - strip;
	return len;
}

static void
free_nodes(struct mnode *kids, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(kids[i].text);
		free(kids[i].name);
		free(kids[i].parts);
		free(kids[i].indent);
		free(kids[i].bindent);
		free_nodes(kids[i].kids, kids[i].nkids);
	}
	free(kids);
}

/*
 * The node of each tag; a closing tag has none, and a comment or a
 * delimiter change one only where the indentation must go.
 */
static const enum mnode_type node_types[] = {
	[T_VAR] = MN_VAR, [T_RAW] = MN_RAW, [T_SECTION] = MN_SECTION,
	[T_INVERTED] = MN_INVERTED, [T_CLOSE] = MN_NOP,
	[T_PARTIAL] = MN_PARTIAL, [T_PARENT] = MN_PARENT,
	[T_BLOCK] = MN_BLOCK, [T_COMMENT] = MN_NOP, [T_DELIM] = MN_NOP
};

/*
 * Add tag t to the body being filled, stack[*depth]: a section, parent or
 * block opens a new body, a closing tag ends one.
 */
static void
add_tag(const struct parser *p, const struct tok *t, struct bframe *stack,
    size_t *depth)
{
	struct bframe	*f = &stack[*depth];
	struct mnode	*n;
	unsigned	 flags = t->standalone ? MN_STANDALONE : 0;

	if (!t->standalone && (t->start == 0 || p->s[t->start - 1] == '\n'))
		flags |= MN_BOL;
	if (t->type == T_CLOSE) {
		if (flags & MN_BOL)
			f->node->flags |= MN_END_BOL;
		f->node->kids = f->kids;
		f->node->nkids = f->nkids;
		memset(f, 0, sizeof(*f));
		(*depth)--;
		return;
	}
	if (node_types[t->type] == MN_NOP) {
		if (flags & MN_BOL)
			add_node(f, MN_NOP, flags, t);
		return;
	}
	n = add_node(f, node_types[t->type], flags, t);
	set_name(p, n, t);
	set_indent(p, n, t, f->strip);
	if (t->type == T_SECTION || t->type == T_INVERTED ||
	    t->type == T_PARENT || t->type == T_BLOCK) {
		stack[++*depth].node = n;
		stack[*depth].strip = t->type == T_BLOCK ?
		    block_strip(p, n, t, f->strip) : f->strip;
	}
}

/* Pass 4: the tree.  The tags are known to nest properly. */
static void
build(const struct parser *p, struct mustache *m)
{
	const struct tok	*t;
	struct bframe		*stack;
	size_t			 i, pos = 0, depth = 0;

	stack = xcalloc(MUSTACHE_MAX_DEPTH + 1, sizeof(*stack));
	for (i = 0; i < p->ntoks; i++) {
		t = &p->toks[i];
		add_text(p, &stack[depth], pos, t->cut0);
		pos = t->cut1;
		add_tag(p, t, stack, &depth);
	}
	add_text(p, &stack[0], pos, p->len);
	m->kids = stack[0].kids;
	m->nkids = stack[0].nkids;
	free(stack);
}

struct mustache *
mustache_compile(const char *name, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct parser	 p;
	struct mustache	*m = NULL;

	memset(&p, 0, sizeof(p));
	p.tname = name;
	p.s = text;
	p.len = len;
	p.line = 1;
	p.err = err;
	p.errlen = errlen;
	if (!scan(&p) || !pair(&p))
		goto out;
	standalone(&p);
	m = xcalloc(1, sizeof(*m));
	m->name = xstrdup(name);
	build(&p, m);
out:
	free(p.toks);
	return m;
}

void
mustache_free(struct mustache *m)
{
	if (m == NULL)
		return;
	free_nodes(m->kids, m->nkids);
	free(m->name);
	free(m);
}

struct mustache_set *
mustache_set_new(void)
{
	return xcalloc(1, sizeof(struct mustache_set));
}

/* Index of name in the set, or where it goes: *found says which. */
static size_t
set_find(const struct mustache_set *set, const char *name, int *found)
{
	size_t	 lo = 0, hi = set->n, mid;
	int	 c;

	*found = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, set->v[mid]->name);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

int
mustache_set_add(struct mustache_set *set, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	struct mustache	*m;
	size_t		 i;
	int		 found;

	i = set_find(set, name, &found);
	if (found) {
		snprintf(err, errlen, "%s: template defined twice", name);
		return 0;
	}
	if ((m = mustache_compile(name, text, len, err, errlen)) == NULL)
		return 0;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	memmove(&set->v[i + 1], &set->v[i], (set->n - i) * sizeof(*set->v));
	set->v[i] = m;
	set->n++;
	return 1;
}

const struct mustache *
mustache_set_get(const struct mustache_set *set, const char *name)
{
	size_t	 i;
	int	 found;

	if (set == NULL)
		return NULL;
	i = set_find(set, name, &found);
	return found ? set->v[i] : NULL;
}

void
mustache_set_free(struct mustache_set *set)
{
	size_t	 i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		mustache_free(set->v[i]);
	free(set->v);
	free(set);
}

enum mustache_esc
mustache_esc_for(const char *name)
{
	size_t	 len = strlen(name);

	if (len >= 4 && strcmp(name + len - 4, ".txt") == 0)
		return MUSTACHE_ESC_NONE;
	return MUSTACHE_ESC_HTML;
}
