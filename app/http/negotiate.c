/*
 * negotiate.c: choose HTML or JSON from the Accept header
 * (RFC 9110 section 12.5.1), by the quality of the most specific media
 * range that matches each; and whether it asks for CSV.
 */
#include "config.h"

#include <string.h>
#include <strings.h>

#include "req.h"

/* RFC 9110 qvalue in thousandths; malformed values count as 0. */
static int
qvalue(const char *v)
{
	int	 q, i;

	if (*v != '0' && *v != '1')
		return 0;
	q = (*v - '0') * 1000;
	if (*++v == '.')
		for (i = 100, v++; i > 0 && *v >= '0' && *v <= '9';
		    i /= 10, v++)
			q += (*v - '0') * i;
	return q > 1000 ? 1000 : q;
}

/* Quality in thousandths of type/sub under the Accept header; -1: absent. */
static int
quality(const char *accept, const char *type, const char *sub)
{
	const char	*p = accept, *end, *semi, *slash, *q;
	size_t		 tl = strlen(type), sl = strlen(sub), len;
	int		 best = -1, bestspec = -1, spec, qv;

	while (*p != '\0') {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			break;
		end = p + strcspn(p, ",");
		semi = memchr(p, ';', (size_t)(end - p));
		len = (size_t)((semi ? semi : end) - p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		slash = memchr(p, '/', len);
		spec = -1;
		if (slash != NULL) {
			size_t a = (size_t)(slash - p), b = len - a - 1;

			if (a == 1 && p[0] == '*' && b == 1 && slash[1] == '*')
				spec = 0;
			else if (a == tl && strncasecmp(p, type, tl) == 0) {
				if (b == 1 && slash[1] == '*')
					spec = 1;
				else if (b == sl &&
				    strncasecmp(slash + 1, sub, sl) == 0)
					spec = 2;
			}
		}
		if (spec > bestspec) {
			qv = 1000;
			for (q = semi; q != NULL && q < end;
			    q = memchr(q + 1, ';', (size_t)(end - q - 1))) {
				const char *v = q + 1;

				while (*v == ' ' || *v == '\t')
					v++;
				if ((v[0] == 'q' || v[0] == 'Q') &&
				    v[1] == '=') {
					qv = qvalue(v + 2);
				}
			}
			bestspec = spec;
			best = qv;
		}
		p = end;
	}
	return best;
}

enum fmt
fmt_negotiate(const char *accept)
{
	int	 json;

	if (accept == NULL || *accept == '\0')
		return FMT_HTML;
	/* q=0 means "not acceptable" (RFC 9110 section 12.4.2). */
	json = quality(accept, "application", "json");
	return json > 0 && json > quality(accept, "text", "html") ?
	    FMT_JSON : FMT_HTML;
}

int
fmt_wants_csv(const char *accept)
{
	int	 csv;

	if (accept == NULL || *accept == '\0')
		return 0;
	csv = quality(accept, "text", "csv");
	return csv > 0 && csv > quality(accept, "application", "json") &&
	    csv > quality(accept, "text", "html");
}
