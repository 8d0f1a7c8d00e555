/*
 * guide_match.h: the guidelines' term rules, compiled once and matched
 * against a text within limits.
 *
 * A rule is a word or phrase, matched literally at word boundaries, or a
 * PCRE2 regular expression; both are case-insensitive unless asked
 * otherwise and work on Unicode code points (PCRE2_UTF | PCRE2_UCP).
 * Spans are [start, end) in code points of the text, never bytes.
 */
#ifndef GUIDE_MATCH_H
#define GUIDE_MATCH_H

#include <stddef.h>
#include <stdint.h>

/* The longest pattern a rule may have, in bytes. */
#define GUIDE_PATTERN_MAX	1000

/* Flags of a rule. */
#define GUIDE_REGEX		0x01	/* a regular expression, not a phrase */
#define GUIDE_CASE		0x02	/* case-sensitive */

struct guide_rule;

/* Why a pattern was refused: PCRE2's message and where, in characters. */
struct guide_error {
	char	 msg[256];
	size_t	 offset;
};

/*
 * Compile the rule id: len bytes of pattern (UTF-8) with the given
 * GUIDE_* flags and an optional NUL-terminated replacement, which is
 * copied.  A word or phrase is trimmed, its inner runs of white space
 * match any run of white space, and it matches only where its first and
 * last characters are not joined to other letters, digits, underscores
 * or combining marks.  Returns 1 and stores a rule to free with
 * guide_rule_free() in *out, or 0 with err filled in when the pattern is
 * refused (empty, too long, not UTF-8, or not a valid expression: the
 * offset is then PCRE2's, counted in characters of the pattern).
 */
int	 guide_rule_compile(int64_t id, const char *pattern, size_t len,
	    unsigned int flags, const char *replacement,
	    struct guide_rule **out, struct guide_error *err);

/* Release a compiled rule; NULL is allowed. */
void	 guide_rule_free(struct guide_rule *);

/* The rule's id. */
int64_t	 guide_rule_id(const struct guide_rule *);

/*
 * The limits of one check.  Every pcre2_match() call is bounded by
 * match_limit (backtracking steps), depth_limit (nested backtracking
 * points) and heap_limit (KiB of backtracking memory); a check makes at
 * most max_calls of them over all its rules, keeps at most max_findings
 * findings and stops starting new calls after max_usec microseconds (0:
 * no clock).  So the work of one check is at most max_calls times
 * match_limit steps, and in practice max_usec plus one call.
 */
struct guide_budget {
	uint32_t	 match_limit;
	uint32_t	 depth_limit;
	uint32_t	 heap_limit;
	size_t		 max_calls;
	size_t		 max_findings;
	long long	 max_usec;
};

/* The defaults: 1,000,000 steps, depth 10,000, 4 MiB, 10,000 calls,
 * 500 findings, 200 ms. */
void	 guide_budget_default(struct guide_budget *);

/* One finding: a rule matched [start, end) code points of the text. */
struct guide_finding {
	int64_t		 rule;
	size_t		 start;
	size_t		 end;
	const char	*replacement;	/* the rule's, or NULL; owned by it */
};

/* What stopped a rule or a check early. */
enum guide_stop {
	GUIDE_STOP_NONE,
	GUIDE_STOP_MATCH,	/* a call reached match_limit */
	GUIDE_STOP_DEPTH,	/* a call reached depth_limit */
	GUIDE_STOP_HEAP,	/* a call reached heap_limit */
	GUIDE_STOP_ERROR,	/* PCRE2 failed otherwise */
	GUIDE_STOP_CALLS,	/* the check's max_calls were spent */
	GUIDE_STOP_FINDINGS,	/* max_findings were found */
	GUIDE_STOP_TIME,	/* max_usec went by */
	GUIDE_STOP__MAX
};

/* A rule that stopped early, and why; its findings so far are kept. */
struct guide_limited {
	int64_t		 rule;
	enum guide_stop	 why;
};

/*
 * The outcome of a check: findings sorted by start, then end, then
 * rule; the rules that hit a limit; and what stopped the check as a
 * whole (GUIDE_STOP_NONE when every rule ran to the end of the text).
 */
struct guide_result {
	struct guide_finding	*findings;
	size_t			 nfindings;
	struct guide_limited	*limited;
	size_t			 nlimited;
	enum guide_stop		 stopped;
};

/* A short English name for a stop ("match limit"...). */
const char	*guide_stop_name(enum guide_stop);

/*
 * Run the n rules over the len bytes of text within budget (NULL: the
 * defaults) and fill res, which the caller releases with
 * guide_result_free().  A rule that hits a limit ends there, is listed
 * in res->limited and logged as a warning; the other rules go on.
 * Returns 1, or 0 (res empty) when the text is not valid UTF-8 or holds
 * a NUL byte.
 */
int	 guide_match(struct guide_rule *const *rules, size_t n,
	    const char *text, size_t len, const struct guide_budget *budget,
	    struct guide_result *res);

/* Release what guide_match() stored in res. */
void	 guide_result_free(struct guide_result *);

#endif
