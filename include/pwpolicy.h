/*
 * pwpolicy.h: which new passwords are accepted.
 *
 * At least PWPOLICY_MIN characters (code points) and at most PWPOLICY_MAX
 * bytes, kept whole (never truncated); refused when cracklib's checks
 * find it weak or when, with case, digits, symbols and common letter
 * substitutions set aside, it is a word of cracklib's dictionary (or one
 * repeated), or when it contains the person's name or e-mail address.
 */
#ifndef PWPOLICY_H
#define PWPOLICY_H

#include <stddef.h>

#define PWPOLICY_MIN	12		/* characters */
#define PWPOLICY_MAX	1024		/* bytes: 256 four-byte characters */

/*
 * Check pw (valid UTF-8, NUL-terminated) for a person with this e-mail
 * address and name (either may be NULL).  Returns NULL when it is
 * acceptable, or a static message saying why not, fit to show as is.
 */
const char	*pwpolicy_check(const char *pw, const char *email,
		    const char *name);

/* Whether the dictionary can be opened (checked at startup). */
int		 pwpolicy_ready(char *err, size_t n);

#endif
