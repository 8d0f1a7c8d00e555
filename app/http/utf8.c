/* utf8.c: strict UTF-8 validation, RFC 3629 section 4 grammar. */
#include "config.h"

#include <string.h>

#include "utf8.h"

int
utf8_valid(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	const unsigned char	*e = s + n;
	unsigned char		 c, lo, hi;
	int			 more;

	while (s < e) {
		c = *s++;
		if (c < 0x80) {
			if (c == 0)
				return 0;
			continue;
		}
		lo = 0x80;
		hi = 0xbf;
		if (c >= 0xc2 && c <= 0xdf)
			more = 1;
		else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			if (c == 0xe0)
				lo = 0xa0;	/* overlong */
			else if (c == 0xed)
				hi = 0x9f;	/* surrogates */
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			if (c == 0xf0)
				lo = 0x90;	/* overlong */
			else if (c == 0xf4)
				hi = 0x8f;	/* above U+10FFFF */
		} else
			return 0;
		if (e - s < more)
			return 0;
		if (*s < lo || *s > hi)
			return 0;
		s++;
		while (--more > 0) {
			if (*s < 0x80 || *s > 0xbf)
				return 0;
			s++;
		}
	}
	return 1;
}

size_t
utf8_cut(const char *str, size_t n)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 back, need;
	unsigned char		 c;

	for (back = 1; back <= 4 && back <= n; back++) {
		c = s[n - back];
		if ((c & 0xc0) == 0x80)
			continue;	/* a continuation byte: look further */
		if (c < 0x80)
			return n;
		need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
		return need > back ? n - back : n;
	}
	return n;
}

size_t
utf8_repair(const char *s, size_t n, char *out)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 i = 0, o = 0, len;

	while (i < n) {
		len = u[i] < 0x80 ? 1 : (u[i] & 0xe0) == 0xc0 ? 2 :
		    (u[i] & 0xf0) == 0xe0 ? 3 : (u[i] & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0 || len > n - i || !utf8_valid(s + i, len)) {
			memcpy(out + o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, s + i, len);
		o += len;
		i += len;
	}
	out[o] = '\0';
	return o;
}

size_t
utf8_chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}
