/*
 * checker.c: a set of guideline rules over a post's text, as findings.
 *
 * Term patterns and the terms of quiet periods are compiled here, once
 * per check, and matched in one guide_match() call per text, within its
 * budget; nothing is kept between checks, so a changed rule can never be
 * matched in its old form.  Disclosure, tag, length and link rules are
 * plain code over the text.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "guide_check.h"
#include "guide_count.h"
#include "guide_match.h"
#include "guide_tags.h"
#include "log.h"
#include "util.h"

enum field { F_TITLE, F_BODY, F_TAGS, F__MAX };

static const char *const field_names[F__MAX] = { "title", "body", "tags" };

/* One finding before it becomes JSON; texts are the rules' (borrowed). */
struct find {
	int64_t		 rule;
	enum field	 field;
	long long	 start, end;	/* -1: none */
	const char	*message;
	char		*replacement;	/* owned, or NULL */
	const char	*tag;		/* a tags finding's tag, or NULL */
};

/* What one check holds: compiled rules, their messages, findings. */
struct chk {
	struct guide_rule	**mr;		/* term and quiet rules */
	size_t			  nmr;
	struct find		 *f;
	size_t			  nf;
	json_t			 *rules;
	const struct guide_text	 *t;
};

/* Keep a finding; the replacement is copied. */
static void
chk_add(struct chk *c, int64_t rule, enum field field, long long start,
    long long end, const char *message, const char *replacement)
{
	struct find	*f;

	c->f = xreallocarray(c->f, c->nf + 1, sizeof(*c->f));
	f = &c->f[c->nf++];
	f->rule = rule;
	f->field = field;
	f->start = start;
	f->end = end;
	f->message = message;
	f->replacement = replacement != NULL ? xstrdup(replacement) : NULL;
	f->tag = NULL;
}

/* The message of rule id, or "". */
static const char *
chk_message(const struct chk *c, int64_t id)
{
	json_t	*r;
	size_t	 i;

	json_array_foreach(c->rules, i, r)
		if (json_integer_value(json_object_get(r, "id")) == id)
			return json_string_value(json_object_get(r,
			    "message"));
	return "";
}

/* Code points in the len bytes of UTF-8 at s. */
static size_t
cplen(const char *s, size_t len)
{
	size_t	 i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Compile one pattern into c->mr; 0 when it is refused (logged). */
static int
chk_compile(struct chk *c, int64_t id, const char *pattern,
    unsigned int flags, const char *replacement)
{
	struct guide_rule	*gr;
	struct guide_error	 err;

	if (!guide_rule_compile(id, pattern, strlen(pattern), flags,
	    replacement, &gr, &err)) {
		logm(L_WARN, NULL, "guideline rule %lld skipped: %s at "
		    "character %zu", (long long)id, err.msg, err.offset);
		return 0;
	}
	c->mr = xreallocarray(c->mr, c->nmr + 1, sizeof(*c->mr));
	c->mr[c->nmr++] = gr;
	return 1;
}

/* Compile each string of the array a as a phrase of rule id. */
static void
chk_phrases(struct chk *c, int64_t id, json_t *a)
{
	json_t	*v;
	size_t	 i;

	json_array_foreach(a, i, v)
		if (json_is_string(v))
			chk_compile(c, id, json_string_value(v), 0, NULL);
}

/*
 * Match rules[0..n) over text; with c set, keep each finding in field.
 * Returns whether anything matched.
 */
static int
chk_match(struct chk *c, struct guide_rule *const *rules, size_t n,
    const char *text, enum field field)
{
	struct guide_result	 res;
	size_t			 i;
	int			 any;

	if (n == 0 || !guide_match(rules, n, text, strlen(text), NULL, &res))
		return 0;
	any = res.nfindings > 0;
	for (i = 0; c != NULL && i < res.nfindings; i++)
		chk_add(c, res.findings[i].rule, field,
		    (long long)res.findings[i].start,
		    (long long)res.findings[i].end,
		    chk_message(c, res.findings[i].rule),
		    res.findings[i].replacement);
	guide_result_free(&res);
	return any;
}

/* Whether tag is in the array allowed, up to case. */
static long
tag_index(const char *tag, const char **allowed, size_t n,
    unsigned int *dist)
{
	return guide_tag_nearest(tag, allowed, n, GUIDE_TAG_MAXDIST, dist);
}

/* The strings of the JSON array a, borrowed, in a new array; *n set. */
static const char **
strings(json_t *a, size_t *n)
{
	const char	**v;
	json_t		 *x;
	size_t		  i;

	*n = 0;
	v = xcalloc(json_array_size(a) + 1, sizeof(*v));
	json_array_foreach(a, i, x)
		if (json_is_string(x))
			v[(*n)++] = json_string_value(x);
	return v;
}

/* Tags: each tag not allowed, and none when one is required. */
static void
chk_tags(struct chk *c, int64_t id, const char *msg, json_t *f)
{
	const struct guide_text	*t = c->t;
	const char		**allowed;
	unsigned int		  dist;
	size_t			  n, i;
	long			  k;

	allowed = strings(json_object_get(f, "allowed"), &n);
	if (t->ntags == 0 && json_is_true(json_object_get(f, "required")))
		chk_add(c, id, F_TAGS, -1, -1, msg, NULL);
	for (i = 0; i < t->ntags; i++) {
		k = tag_index(t->tags[i], allowed, n, &dist);
		if (k >= 0 && dist == 0)
			continue;
		chk_add(c, id, F_TAGS, -1, -1, msg, k >= 0 ? allowed[k] :
		    NULL);
		c->f[c->nf - 1].tag = t->tags[i];
	}
	free(allowed);
}

/* Whether the post targets channel. */
static int
has_channel(const struct guide_text *t, const char *channel)
{
	size_t	 i;

	for (i = 0; i < t->nchannels; i++)
		if (strcmp(t->channels[i], channel) == 0)
			return 1;
	return 0;
}

/*
 * The code point of body at which its count passes limit (a link that
 * does counts from its start), or -1 when it never does.
 */
static long long
overflow(const char *body, size_t limit, size_t link_length)
{
	struct guide_link	*l;
	size_t			 len = strlen(body), nl, k = 0, i, cp = 0;
	size_t			 count = 0;
	long long		 at = -1;

	nl = guide_links(body, len, NULL, 0);
	l = xcalloc(nl + 1, sizeof(*l));
	guide_links(body, len, l, nl);
	for (i = 0; i < len && at < 0; ) {
		if (link_length > 0 && k < nl && l[k].bstart == i) {
			count += link_length;
			if (count > limit)
				at = (long long)cp;
			cp += l[k].end - l[k].start;
			i = l[k++].bend;
			continue;
		}
		if (++count > limit)
			at = (long long)cp;
		cp++;
		for (i++; i < len && ((unsigned char)body[i] & 0xc0) == 0x80;
		    i++)
			;
	}
	free(l);
	return at;
}

/* Length: the part of the body past the channel's limit. */
static void
chk_length(struct chk *c, int64_t id, const char *msg, json_t *f)
{
	const char	*channel = json_string_value(json_object_get(f,
			    "channel"));
	json_int_t	 limit = json_integer_value(json_object_get(f,
			    "limit"));
	json_int_t	 ll = json_integer_value(json_object_get(f,
			    "link_length"));
	long long	 at;

	if (channel == NULL || limit < 1 || ll < 0 ||
	    !has_channel(c->t, channel))
		return;
	if ((at = overflow(c->t->body, (size_t)limit, (size_t)ll)) >= 0)
		chk_add(c, id, F_BODY, at, (long long)cplen(c->t->body,
		    strlen(c->t->body)), msg, NULL);
}

/* Disclosure: called for by a tag or a term, and the sentence absent. */
static void
chk_disclosure(struct chk *c, int64_t id, const char *msg, json_t *f)
{
	struct chk		 d;
	const struct guide_text	*t = c->t;
	const char		**tags, *sentence;
	unsigned int		  dist;
	size_t			  n, i, len;
	int			  due = 0;
	char			 *repl;

	memset(&d, 0, sizeof(d));
	sentence = json_string_value(json_object_get(f, "sentence"));
	if (sentence == NULL)
		return;
	tags = strings(json_object_get(f, "tags"), &n);
	for (i = 0; i < t->ntags && !due; i++)
		due = guide_tag_nearest(t->tags[i], tags, n, 0, &dist) >= 0;
	free(tags);
	chk_phrases(&d, id, json_object_get(f, "terms"));
	if (!due)
		due = chk_match(NULL, d.mr, d.nmr, t->title, F_TITLE) ||
		    chk_match(NULL, d.mr, d.nmr, t->body, F_BODY);
	for (i = 0; i < d.nmr; i++)
		guide_rule_free(d.mr[i]);
	free(d.mr);
	memset(&d, 0, sizeof(d));
	if (!due || !chk_compile(&d, id, sentence, 0, NULL))
		return;
	if (!chk_match(NULL, d.mr, d.nmr, t->body, F_BODY)) {
		len = cplen(t->body, strlen(t->body));
		repl = xmalloc(strlen(sentence) + 3);
		snprintf(repl, strlen(sentence) + 3, "%s%s",
		    len > 0 ? "\n\n" : "", sentence);
		chk_add(c, id, F_BODY, (long long)len, (long long)len, msg,
		    repl);
		free(repl);
	}
	guide_rule_free(d.mr[0]);
	free(d.mr);
}

/* Links: each one whose host is malformed. */
static void
chk_links(struct chk *c, int64_t id, const char *msg)
{
	const char		*body = c->t->body;
	struct guide_link	*l;
	size_t			 n, i, len = strlen(body);

	n = guide_links(body, len, NULL, 0);
	l = xcalloc(n + 1, sizeof(*l));
	guide_links(body, len, l, n);
	for (i = 0; i < n; i++)
		if (!guide_link_wellformed(body + l[i].bstart,
		    l[i].bend - l[i].bstart))
			chk_add(c, id, F_BODY, (long long)l[i].start,
			    (long long)l[i].end, msg, NULL);
	free(l);
}

/* One rule: compiled for the shared match, or checked at once. */
static void
chk_rule(struct chk *c, json_t *r)
{
	int64_t		 id = json_integer_value(json_object_get(r, "id"));
	const char	*kind = json_string_value(json_object_get(r, "kind"));
	const char	*msg = json_string_value(json_object_get(r, "message"));
	json_t		*f = json_object_get(r, "fields");
	const char	*pattern;
	unsigned int	 flags = 0;

	if (kind == NULL || msg == NULL || !json_is_object(f)) {
		logm(L_WARN, NULL, "guideline rule %lld skipped: not a rule",
		    (long long)id);
		return;
	}
	if (strcmp(kind, "term") == 0) {
		if ((pattern = json_string_value(json_object_get(f,
		    "pattern"))) == NULL)
			return;
		if (json_is_true(json_object_get(f, "regex")))
			flags |= GUIDE_REGEX;
		if (json_is_true(json_object_get(f, "case_sensitive")))
			flags |= GUIDE_CASE;
		chk_compile(c, id, pattern, flags, json_string_value(
		    json_object_get(f, "replacement")));
	} else if (strcmp(kind, "quiet") == 0)
		chk_phrases(c, id, json_object_get(f, "terms"));
	else if (strcmp(kind, "tags") == 0)
		chk_tags(c, id, msg, f);
	else if (strcmp(kind, "length") == 0)
		chk_length(c, id, msg, f);
	else if (strcmp(kind, "disclosure") == 0)
		chk_disclosure(c, id, msg, f);
	else if (strcmp(kind, "links") == 0)
		chk_links(c, id, msg);
}

/* Findings in order: field, start, end, rule. */
static int
find_cmp(const void *a, const void *b)
{
	const struct find	*x = a, *y = b;

	if (x->field != y->field)
		return x->field < y->field ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return 0;
}

/* A span's edge as JSON: the number, or null. */
static json_t *
edge(long long v)
{
	return v < 0 ? json_null() : json_integer(v);
}

size_t
guide_check(json_t *rules, const struct guide_text *t, json_t *findings)
{
	struct chk	 c;
	struct find	*f;
	json_t		*r;
	size_t		 i;

	memset(&c, 0, sizeof(c));
	c.rules = rules;
	c.t = t;
	json_array_foreach(rules, i, r)
		chk_rule(&c, r);
	chk_match(&c, c.mr, c.nmr, t->title, F_TITLE);
	chk_match(&c, c.mr, c.nmr, t->body, F_BODY);
	if (c.nf > 0)
		qsort(c.f, c.nf, sizeof(*c.f), find_cmp);
	for (i = 0; i < c.nf; i++) {
		f = &c.f[i];
		json_array_append_new(findings, json_pack("{s:I, s:s, s:o, "
		    "s:o, s:s, s:o}", "rule", (json_int_t)f->rule, "field",
		    field_names[f->field], "start", edge(f->start), "end",
		    edge(f->end), "message", f->message, "replacement",
		    f->replacement != NULL ? json_string(f->replacement) :
		    json_null()));
		if (f->field == F_TAGS)
			json_object_set_new(json_array_get(findings,
			    json_array_size(findings) - 1), "tag", f->tag !=
			    NULL ? json_string(f->tag) : json_null());
		free(f->replacement);
	}
	for (i = 0; i < c.nmr; i++)
		guide_rule_free(c.mr[i]);
	free(c.mr);
	free(c.f);
	return c.nf;
}

/* Whether s[0..n) is a dot-separated name of well-formed labels. */
static int
host_name(const char *s, size_t n)
{
	size_t	 i, label = 0, dots = 0;

	if (n == 0)
		return 0;
	if (s[n - 1] == '.')
		n--;
	for (i = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			dots += i < n;
			label = 0;
			continue;
		}
		if (label == 0 && s[i] == '-')
			return 0;
		if (!((unsigned char)s[i] >= 0x80 || s[i] == '-' ||
		    (s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' &&
		    s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')))
			return 0;
		label++;
	}
	return dots > 0 || (n == 9 && strncasecmp(s, "localhost", 9) == 0);
}

int
guide_link_wellformed(const char *url, size_t len)
{
	const char	*h, *end, *port;
	size_t		 skip, i;
	long		 p = 0;

	if (len >= 8 && strncasecmp(url, "https://", 8) == 0)
		skip = 8;
	else if (len >= 7 && strncasecmp(url, "http://", 7) == 0)
		skip = 7;
	else
		return 0;
	h = url + skip;
	for (end = h; end < url + len && *end != '/' && *end != '?' &&
	    *end != '#'; end++)
		if (*end == '@')
			return 0;
	if (*h == '[') {
		for (port = h + 1; port < end && *port != ']'; port++)
			if (!(*port == ':' || *port == '.' || (*port >= '0' &&
			    *port <= '9') || (*port >= 'a' && *port <= 'f') ||
			    (*port >= 'A' && *port <= 'F')))
				return 0;
		if (port == end || port == h + 1)
			return 0;
		port++;
	} else {
		for (port = h; port < end && *port != ':'; port++)
			;
		if (!host_name(h, (size_t)(port - h)))
			return 0;
	}
	if (port == end)
		return 1;
	if (*port != ':' || end - port < 2 || end - port > 6)
		return 0;
	for (i = 1; port + i < end; i++) {
		if (port[i] < '0' || port[i] > '9')
			return 0;
		p = p * 10 + (port[i] - '0');
	}
	return p <= 65535;
}
