/*
 * pwpolicy.c: the password policy (NIST SP 800-63B section 5.1.1.2):
 * length first, no composition rules, and a check against a list of
 * common and dictionary words, here Debian's cracklib.  cracklib alone
 * passes "password1234", so the letters of the password are also looked
 * up in its dictionary with digits, symbols and case set aside.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include <crack.h>
#include <packer.h>

#include "pwpolicy.h"

/* Exported by libcrack2 but declared only for its own build. */
extern char	*GetPW(PWDICT *, uint32_t);

static size_t
codepoints(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/*
 * The lowercase letters of pw, everything else dropped; or, with leet,
 * the letters of pw without its leading and trailing non-letters, with
 * digits and symbols inside read as the letters they often stand for
 * ("p@ssw0rd!!" gives "password").
 */
static void
letters(const char *pw, char *out, size_t n, int leet)
{
	static const char	 from[] = "0134578@$!|", to[] = "oieastbasil";
	const char		*p, *end = pw + strlen(pw);
	size_t			 len = 0;
	int			 c;

	if (leet) {
		while (*pw != '\0' && !isalpha((unsigned char)*pw))
			pw++;
		while (end > pw && !isalpha((unsigned char)end[-1]))
			end--;
	}
	for (; pw < end && len + 1 < n; pw++) {
		c = (unsigned char)*pw;
		if (isalpha(c))
			out[len++] = (char)tolower(c);
		else if (leet && (p = strchr(from, c)) != NULL)
			out[len++] = to[p - from];
	}
	out[len] = '\0';
}

/* Whether w is in the dictionary, or w is one shorter word repeated. */
static int
in_dict(PWDICT *d, const char *w)
{
	char	 buf[MAXWORDLEN + 1], *p;
	size_t	 len = strlen(w), unit, i;

	if (len < 3)
		return len > 0;
	for (unit = 1; unit <= len / 2; unit++) {
		if (len % unit != 0)
			continue;
		for (i = unit; i < len && w[i] == w[i % unit]; i++)
			;
		if (i == len)
			return unit < 4 ? 1 : in_dict(d, (snprintf(buf,
			    sizeof(buf), "%.*s", (int)unit, w), buf));
	}
	if (len > MAXWORDLEN)
		return 0;
	snprintf(buf, sizeof(buf), "%s", w);
	/* FindPW() gives the place the word would have; check it is there. */
	p = GetPW(d, FindPW(d, buf));
	return p != NULL && strcmp(p, w) == 0;
}

/* Whether the letters of pw, read either way, are a dictionary word. */
static int
dictionary_word(const char *pw)
{
	PWDICT	*d;
	char	 w[PWPOLICY_MAX + 1];
	int	 found;

	if ((d = PWOpen(GetDefaultCracklibDict(), "r")) == NULL)
		return 0;
	letters(pw, w, sizeof(w), 0);
	found = in_dict(d, w);
	if (!found) {
		letters(pw, w, sizeof(w), 1);
		found = in_dict(d, w);
	}
	PWClose(d);
	return found;
}

/*
 * Whether the letters of hay contain one of the words of needle (its
 * runs of letters, digits or non-ASCII bytes) of four letters or more:
 * "Ada Lovelace" or "ada.lovelace@..." in "lovelace2024".
 */
static int
contains_words(const char *hay, const char *needle)
{
	char		 h[PWPOLICY_MAX + 1], w[256];
	const char	*p = needle, *start;
	size_t		 len;

	letters(hay, h, sizeof(h), 0);
	while (*p != '\0') {
		while (*p != '\0' && !isalnum((unsigned char)*p) &&
		    (unsigned char)*p < 0x80)
			p++;
		start = p;
		while (*p != '\0' && (isalnum((unsigned char)*p) ||
		    (unsigned char)*p >= 0x80))
			p++;
		len = (size_t)(p - start) < sizeof(w) - 1 ?
		    (size_t)(p - start) : sizeof(w) - 1;
		memcpy(w, start, len);
		w[len] = '\0';
		letters(w, w, sizeof(w), 0);
		if (strlen(w) >= 4 && strstr(h, w) != NULL)
			return 1;
	}
	return 0;
}

const char *
pwpolicy_check(const char *pw, const char *email, const char *name)
{
	char		 local[256], msg[256];
	const char	*at;

	if (strlen(pw) > PWPOLICY_MAX)
		return "the password is longer than 1024 bytes";
	if (codepoints(pw) < PWPOLICY_MIN)
		return "the password must have at least 12 characters";
	msg[0] = '\0';
	if (!__DEBIAN_SPECIFIC__SafeFascistCheck(pw, GetDefaultCracklibDict(),
	    msg, sizeof(msg)))
		return "the password could not be checked; please try again";
	if (msg[0] != '\0' || dictionary_word(pw))
		return "the password is too common or based on a dictionary "
		    "word; a few unrelated words make a strong one";
	if (email != NULL && (at = strchr(email, '@')) != NULL) {
		snprintf(local, sizeof(local), "%.*s", (int)(at - email),
		    email);
		if (contains_words(pw, local))
			return "the password must not contain your e-mail "
			    "address";
	}
	if (name != NULL && contains_words(pw, name))
		return "the password must not contain your name";
	return NULL;
}

int
pwpolicy_ready(char *err, size_t n)
{
	PWDICT	*d;

	if ((d = PWOpen(GetDefaultCracklibDict(), "r")) == NULL) {
		snprintf(err, n, "could not open the password dictionary %s: "
		    "%s (install cracklib-runtime)", GetDefaultCracklibDict(),
		    strerror(errno));
		return 0;
	}
	PWClose(d);
	return 1;
}
