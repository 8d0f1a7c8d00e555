/*
 * match.c: the guidelines' term rules, with PCRE2.
 *
 * Patterns come from hub admins and unit owners and texts from anyone
 * who writes, so neither is trusted: a pattern is compiled once in UTF
 * and UCP mode, never with \C (it could split a character), and every
 * match runs under match, depth and heap limits so that a catastrophic
 * pattern costs at most a known number of steps.  A rule that hits one
 * stops there and is reported; the others go on.  The text is checked
 * for UTF-8 once, so each call can skip PCRE2's own check.  Words and
 * phrases are escaped and become expressions whose edges are asserted
 * not to touch another word character: nothing of them is a metacharacter.
 */
#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcre2.h>

#include "buf.h"
#include "guide_match.h"
#include "log.h"
#include "utf8.h"
#include "util.h"

struct guide_rule {
	int64_t		 id;
	pcre2_code	*re;
	char		*replacement;
};

/* A character that continues a word: what the edges of a phrase test. */
#define WORDCHAR	"[\\w\\p{M}]"

static const char *const stop_names[GUIDE_STOP__MAX] = {
	[GUIDE_STOP_NONE] = "none",
	[GUIDE_STOP_MATCH] = "match limit",
	[GUIDE_STOP_DEPTH] = "depth limit",
	[GUIDE_STOP_HEAP] = "heap limit",
	[GUIDE_STOP_ERROR] = "matching error",
	[GUIDE_STOP_CALLS] = "call budget",
	[GUIDE_STOP_FINDINGS] = "finding budget",
	[GUIDE_STOP_TIME] = "time budget",
};

const char *
guide_stop_name(enum guide_stop why)
{
	if ((unsigned)why >= GUIDE_STOP__MAX)
		return "unknown";
	return stop_names[why];
}

void
guide_budget_default(struct guide_budget *b)
{
	b->match_limit = 1000000;
	b->depth_limit = 10000;
	b->heap_limit = 4096;
	b->max_calls = 10000;
	b->max_findings = 500;
	b->max_usec = 200000;
}

/* The characters (code points) in the first n bytes of valid UTF-8. */
static size_t
chars_in(const char *s, size_t n)
{
	size_t	 i, c = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

/*
 * The offset in bytes of the first byte of s that is not part of a
 * well-formed character (or is NUL), or n when all of s is valid.
 */
static size_t
utf8_bad_at(const char *s, size_t n)
{
	size_t		 i = 0, k;
	unsigned char	 c;

	while (i < n) {
		c = (unsigned char)s[i];
		k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		if (k > n - i || !utf8_valid(s + i, k))
			return i;
		i += k;
	}
	return n;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\f' || c == '\v';
}

/*
 * Write the phrase p (n bytes, trimmed, valid UTF-8) into b as an
 * expression: ASCII punctuation escaped, runs of white space as \s+,
 * and at each edge a conditional group that asserts, when the edge
 * character is a word character, that no word character touches it.
 * A phrase that starts with an ASCII letter or digit (a word character)
 * starts with it instead, the assertion after it looking two characters
 * back: the same matches, but PCRE2 can then look for that first
 * character rather than try the assertion at every position of the
 * text.
 */
static void
phrase_expr(struct buf *b, const char *p, size_t n)
{
	size_t		 i = 0;
	unsigned char	 c;

	c = (unsigned char)p[0];
	if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z')) {
		buf_putc(b, (char)c);
		buf_puts(b, "(?<!" WORDCHAR ".)");
		i = 1;
	} else
		buf_puts(b, "(?(?=" WORDCHAR ")(?<!" WORDCHAR "))");
	for (; i < n; i++) {
		c = (unsigned char)p[i];
		if (is_space(p[i])) {
			while (i + 1 < n && is_space(p[i + 1]))
				i++;
			buf_puts(b, "\\s+");
			continue;
		}
		if (c < 0x80 && !(c >= '0' && c <= '9') &&
		    !(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z'))
			buf_putc(b, '\\');
		buf_putc(b, (char)c);
	}
	buf_puts(b, "(?(?<=" WORDCHAR ")(?!" WORDCHAR "))");
}

static int
refuse(struct guide_error *err, size_t offset, const char *msg)
{
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
	err->offset = offset;
	return 0;
}

/*
 * Check the pattern *p of *n bytes before it is compiled; a phrase is
 * trimmed (*p and *n move).  Returns 1, or 0 with err filled in.
 */
static int
pattern_usable(const char **p, size_t *n, unsigned int flags,
    struct guide_error *err)
{
	size_t	 bad;

	if (*n > GUIDE_PATTERN_MAX)
		return refuse(err,
		    chars_in(*p, utf8_cut(*p, GUIDE_PATTERN_MAX)),
		    "pattern is longer than 1000 bytes");
	if ((bad = utf8_bad_at(*p, *n)) < *n)
		return refuse(err, chars_in(*p, bad), (*p)[bad] == '\0' ?
		    "pattern contains a NUL character" :
		    "pattern is not valid UTF-8");
	if (!(flags & GUIDE_REGEX)) {
		while (*n > 0 && is_space(**p)) {
			(*p)++;
			(*n)--;
		}
		while (*n > 0 && is_space((*p)[*n - 1]))
			(*n)--;
	}
	if (*n == 0)
		return refuse(err, 0, "pattern is empty");
	return 1;
}

int
guide_rule_compile(int64_t id, const char *pattern, size_t len,
    unsigned int flags, const char *replacement, struct guide_rule **out,
    struct guide_error *err)
{
	pcre2_compile_context	*cc;
	pcre2_code		*re;
	struct guide_rule	*r;
	struct buf		 b;
	const char		*p = pattern;
	size_t			 n = len, eoff;
	uint32_t		 opts;
	int			 ecode;

	*out = NULL;
	err->msg[0] = '\0';
	err->offset = 0;
	if (!pattern_usable(&p, &n, flags, err))
		return 0;

	buf_init(&b);
	if (flags & GUIDE_REGEX)
		buf_add(&b, p, n);
	else
		phrase_expr(&b, p, n);
	opts = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK |
	    PCRE2_NEVER_BACKSLASH_C;
	if (!(flags & GUIDE_CASE))
		opts |= PCRE2_CASELESS;
	if ((cc = pcre2_compile_context_create(NULL)) == NULL) {
		fprintf(stderr,
		    "pcre2_compile_context_create: out of memory\n");
		abort();
	}
	pcre2_set_max_pattern_length(cc, 8 * GUIDE_PATTERN_MAX + 64);
	pcre2_set_parens_nest_limit(cc, 64);
	re = pcre2_compile((PCRE2_SPTR)b.data, b.len, opts, &ecode, &eoff, cc);
	pcre2_compile_context_free(cc);
	if (re == NULL) {
		pcre2_get_error_message(ecode, (PCRE2_UCHAR *)err->msg,
		    sizeof(err->msg));
		/*
		 * An offset into an escaped phrase means nothing to its
		 * author.
		 */
		err->offset = (flags & GUIDE_REGEX) ?
		    chars_in(p, eoff < n ? eoff : n) : 0;
		buf_free(&b);
		return 0;
	}
	buf_free(&b);
	r = xcalloc(1, sizeof(*r));
	r->id = id;
	r->re = re;
	if (replacement != NULL)
		r->replacement = xstrdup(replacement);
	*out = r;
	return 1;
}

void
guide_rule_free(struct guide_rule *r)
{
	if (r == NULL)
		return;
	pcre2_code_free(r->re);
	free(r->replacement);
	free(r);
}

int64_t
guide_rule_id(const struct guide_rule *r)
{
	return r->id;
}

/* The running state of one check. */
struct check {
	const struct guide_budget	*bud;
	pcre2_match_context		*mc;
	pcre2_match_data		*md;
	const char			*text;
	size_t				 len;
	size_t				 calls;
	long long			 t0;
	size_t				 capf, capl;
	struct guide_result		*res;
};

static void
add_finding(struct check *c, const struct guide_rule *r, size_t s,
    size_t e)
{
	struct guide_result	*res = c->res;
	struct guide_finding	*f;

	if (res->nfindings == c->capf) {
		c->capf = c->capf ? 2 * c->capf : 16;
		res->findings = xreallocarray(res->findings, c->capf,
		    sizeof(*res->findings));
	}
	f = &res->findings[res->nfindings++];
	f->rule = r->id;
	f->start = s;
	f->end = e;
	f->replacement = r->replacement;
}

static void
add_limited(struct check *c, const struct guide_rule *r,
    enum guide_stop why)
{
	struct guide_result	*res = c->res;

	if (res->nlimited == c->capl) {
		c->capl = c->capl ? 2 * c->capl : 4;
		res->limited = xreallocarray(res->limited, c->capl,
		    sizeof(*res->limited));
	}
	res->limited[res->nlimited].rule = r->id;
	res->limited[res->nlimited++].why = why;
	log_warn("guideline rule %" PRId64 " stopped early: %s", r->id,
	    guide_stop_name(why));
}

static enum guide_stop
stop_of(int rc)
{
	switch (rc) {
	case PCRE2_ERROR_MATCHLIMIT:
		return GUIDE_STOP_MATCH;
	case PCRE2_ERROR_DEPTHLIMIT:
		return GUIDE_STOP_DEPTH;
	case PCRE2_ERROR_HEAPLIMIT:
	case PCRE2_ERROR_NOMEMORY:
		return GUIDE_STOP_HEAP;
	default:
		return GUIDE_STOP_ERROR;
	}
}

/*
 * Run one rule over the whole text.  Returns GUIDE_STOP_NONE when the
 * rule ran to the end or stopped on a limit of its own (recorded), or
 * what stops the whole check.
 */
static enum guide_stop
run_rule(struct check *c, const struct guide_rule *r)
{
	PCRE2_SIZE	*ov;
	size_t		 off = 0, bpos = 0, cp = 0, s, e;
	int		 rc;

	while (off < c->len) {
		if (c->calls >= c->bud->max_calls)
			return GUIDE_STOP_CALLS;
		if (c->bud->max_usec > 0 &&
		    now_usec() - c->t0 > c->bud->max_usec)
			return GUIDE_STOP_TIME;
		c->calls++;
		rc = pcre2_match(r->re, (PCRE2_SPTR)c->text, c->len, off,
		    PCRE2_NOTEMPTY | PCRE2_NO_UTF_CHECK, c->md, c->mc);
		if (rc == PCRE2_ERROR_NOMATCH)
			break;
		if (rc < 0) {
			add_limited(c, r, stop_of(rc));
			break;
		}
		ov = pcre2_get_ovector_pointer(c->md);
		if (ov[1] <= off || ov[1] > c->len)
			break;	/* cannot happen without \K; never loop */
		if (ov[0] < ov[1]) {
			if (c->res->nfindings >= c->bud->max_findings)
				return GUIDE_STOP_FINDINGS;
			if (ov[0] < bpos)
				bpos = cp = 0;
			cp += chars_in(c->text + bpos, ov[0] - bpos);
			s = cp;
			cp += chars_in(c->text + ov[0], ov[1] - ov[0]);
			e = cp;
			bpos = ov[1];
			add_finding(c, r, s, e);
		}
		off = ov[1];
	}
	return GUIDE_STOP_NONE;
}

static int
finding_cmp(const void *a, const void *b)
{
	const struct guide_finding	*x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return 0;
}

int
guide_match(struct guide_rule *const *rules, size_t n, const char *text,
    size_t len, const struct guide_budget *budget, struct guide_result *res)
{
	struct guide_budget	 defaults;
	struct check		 c;
	enum guide_stop		 why = GUIDE_STOP_NONE;
	size_t			 i;

	memset(res, 0, sizeof(*res));
	if (text == NULL)
		text = "";
	if (!utf8_valid(text, len))
		return 0;
	if (budget == NULL) {
		guide_budget_default(&defaults);
		budget = &defaults;
	}
	memset(&c, 0, sizeof(c));
	c.bud = budget;
	c.text = text;
	c.len = len;
	c.res = res;
	c.t0 = now_usec();
	c.mc = pcre2_match_context_create(NULL);
	c.md = pcre2_match_data_create(1, NULL);
	if (c.mc == NULL || c.md == NULL) {
		fprintf(stderr, "pcre2: out of memory\n");
		abort();
	}
	pcre2_set_match_limit(c.mc, budget->match_limit);
	pcre2_set_depth_limit(c.mc, budget->depth_limit);
	pcre2_set_heap_limit(c.mc, budget->heap_limit);
	for (i = 0; i < n && why == GUIDE_STOP_NONE; i++)
		if ((why = run_rule(&c, rules[i])) != GUIDE_STOP_NONE)
			add_limited(&c, rules[i], why);
	res->stopped = why;
	pcre2_match_data_free(c.md);
	pcre2_match_context_free(c.mc);
	if (res->nfindings > 1)
		qsort(res->findings, res->nfindings, sizeof(*res->findings),
		    finding_cmp);
	return 1;
}

void
guide_result_free(struct guide_result *res)
{
	free(res->findings);
	free(res->limited);
	memset(res, 0, sizeof(*res));
}
