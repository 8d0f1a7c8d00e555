/*
 * message.c: compose an outgoing e-mail as RFC 5322 text.
 *
 * Everything here is a pure function of its arguments so the unit tests
 * can check the exact bytes.  Header values come from job payloads, so
 * CR, LF and NUL are refused outright instead of being cleaned up: a
 * message that would need cleaning is not sent at all.  Header lines are
 * kept within 78 characters (RFC 5322 section 2.1.1) by folding, except
 * for an address or a Message-ID too long to fit, which cannot be folded
 * and stays within the hard limit of 998.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "mail.h"
#include "utf8.h"

#define LINE_SOFT	78	/* RFC 5322 section 2.1.1 */
#define WORD_MAX	75	/* RFC 2047 section 2: an encoded-word */
#define QP_LINE		76	/* RFC 2045 section 6.7 (5) */

static const char	 b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char	 hex[] = "0123456789ABCDEF";

/* atext of RFC 5322 section 3.2.3, letters and digits aside. */
static int
is_atext(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || (c != '\0' &&
	    strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int
has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

int
message_address_ok(const char *addr)
{
	const char	*at, *p;
	size_t		 len;

	if (addr == NULL || (len = strlen(addr)) == 0 ||
	    len > MESSAGE_ADDR_MAX || (at = strchr(addr, '@')) == NULL ||
	    strchr(at + 1, '@') != NULL || at == addr || at[1] == '\0')
		return 0;
	/* dot-atom local part: no leading, trailing or double dot */
	if (addr[0] == '.' || at[-1] == '.')
		return 0;
	for (p = addr; p < at; p++)
		if (!(is_atext((unsigned char)*p) ||
		    (*p == '.' && p[1] != '.')))
			return 0;
	/* a domain name: labels of letters, digits and hyphens */
	if (at[1] == '.' || addr[len - 1] == '.')
		return 0;
	for (p = at + 1; *p != '\0'; p++) {
		if (*p == '.' && p[1] == '.')
			return 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.'))
			return 0;
	}
	return 1;
}

/*
 * Split a mail_from value into its display name (may be empty, quotes
 * removed) and address, both pointing into copies in dname and addr.
 * Returns 1 or 0.
 */
static int
split_from(const char *from, char *dname, size_t dn, char *addr, size_t an)
{
	const char	*lt, *gt, *s, *e;
	size_t		 len, i, o;

	if ((lt = strrchr(from, '<')) == NULL) {
		s = from;
		e = from + strlen(from);
		dname[0] = '\0';
	} else {
		if ((gt = strchr(lt, '>')) == NULL || gt[1 + strspn(gt + 1,
		    " ")] != '\0')
			return 0;
		s = lt + 1;
		e = gt;
		/* the display name, trimmed and unquoted */
		while (*from == ' ')
			from++;
		len = (size_t)(lt - from);
		while (len > 0 && from[len - 1] == ' ')
			len--;
		if (len >= 2 && from[0] == '"' && from[len - 1] == '"') {
			from++;
			len -= 2;
		}
		for (i = o = 0; i < len && o + 1 < dn; i++) {
			if (from[i] == '\\' && i + 1 < len)
				i++;
			dname[o++] = from[i];
		}
		if (i < len)
			return 0;
		dname[o] = '\0';
	}
	while (s < e && *s == ' ')
		s++;
	while (e > s && e[-1] == ' ')
		e--;
	if ((size_t)(e - s) >= an)
		return 0;
	memcpy(addr, s, (size_t)(e - s));
	addr[e - s] = '\0';
	return message_address_ok(addr);
}

int
message_from_address(const char *from, char *dst, size_t n)
{
	char	 dname[256];

	if (from == NULL || has_crlf(from))
		return 0;
	return split_from(from, dname, sizeof(dname), dst, n);
}

int
message_id(char *dst, size_t n, long long job, const char *unique,
    const char *from_addr)
{
	const char	*at = from_addr ? strrchr(from_addr, '@') : NULL;
	int		 w;

	w = snprintf(dst, n, "<job-%lld.%s@%s>", job, unique,
	    at != NULL && at[1] != '\0' ? at + 1 : "localhost");
	return w > 0 && (size_t)w < n;
}

void
message_date(char *dst, size_t n, time_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed",
	    "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr",
	    "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm	 tm;

	/* Fixed English names: strftime() would follow the locale. */
	gmtime_r(&t, &tm);
	snprintf(dst, n, "%s, %02d %s %04d %02d:%02d:%02d +0000",
	    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Base64 (RFC 4648 section 4) of the n bytes at s. */
static void
put_base64(struct buf *b, const unsigned char *s, size_t n)
{
	unsigned long	 v;
	size_t		 i;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned long)s[i] << 16 | (unsigned long)s[i + 1] << 8 |
		    s[i + 2];
		buf_putc(b, b64[v >> 18 & 63]);
		buf_putc(b, b64[v >> 12 & 63]);
		buf_putc(b, b64[v >> 6 & 63]);
		buf_putc(b, b64[v & 63]);
	}
	if (i < n) {
		v = (unsigned long)s[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)s[i + 1] << 8;
		buf_putc(b, b64[v >> 18 & 63]);
		buf_putc(b, b64[v >> 12 & 63]);
		buf_putc(b, i + 1 < n ? b64[v >> 6 & 63] : '=');
		buf_putc(b, '=');
	}
}

/*
 * Write the UTF-8 text s as RFC 2047 "B" encoded-words, the first at
 * column col of the current header line, each further one on a folded
 * line of its own.  No word splits a character (RFC 2047 section 5) or
 * exceeds 75 characters, and no line exceeds 78.
 */
static void
put_encoded_words(struct buf *b, const char *s, size_t col)
{
	static const char	 pre[] = "=?UTF-8?B?", post[] = "?=";
	size_t			 n = strlen(s), room, max, cut;

	do {
		room = LINE_SOFT - col;
		if (room > WORD_MAX)
			room = WORD_MAX;
		/* whole base64 groups that fit between pre and post */
		max = room > 12 ? (room - 12) / 4 * 3 : 0;
		if (max < 12 && col > 1) {
			buf_puts(b, "\r\n ");
			col = 1;
			continue;
		}
		cut = n < max ? n : max;
		while (cut < n && cut > 0 &&
		    ((unsigned char)s[cut] & 0xc0) == 0x80)
			cut--;
		buf_puts(b, pre);
		put_base64(b, (const unsigned char *)s, cut);
		buf_puts(b, post);
		s += cut;
		n -= cut;
		if (n > 0) {
			buf_puts(b, "\r\n ");
			col = 1;
		}
	} while (n > 0);
}

/*
 * Can s go into an unstructured header as it is: printable ASCII, single
 * spaces between words, nothing a reader would take for an encoded-word,
 * and, folded at those spaces after column col, no line over 78?
 * put_plain_folded() folds the same way.
 */
static int
plain_ok(const char *s, size_t col)
{
	const char	*p;
	size_t		 line = col, word;
	int		 first = 1;

	if (*s == ' ' || strstr(s, "=?") != NULL || strstr(s, "  ") != NULL)
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			return 0;
	if (p > s && p[-1] == ' ')
		return 0;
	while (*s != '\0') {
		word = strcspn(s, " ");
		if (!first && line + 1 + word > LINE_SOFT)
			line = 0;
		if ((line += 1 + word) > LINE_SOFT)
			return 0;
		first = 0;
		s += word;
		if (*s == ' ')
			s++;
	}
	return 1;
}

/*
 * Write plain_ok() text s after column col: each word preceded by one
 * space, which becomes the folding white space when the word goes on a
 * new line.
 */
static void
put_plain_folded(struct buf *b, const char *s, size_t col)
{
	size_t	 line = col, word;
	int	 first = 1;

	while (*s != '\0') {
		word = strcspn(s, " ");
		if (!first && line + 1 + word > LINE_SOFT) {
			buf_puts(b, "\r\n");
			line = 0;
		}
		buf_putc(b, ' ');
		buf_add(b, s, word);
		line += 1 + word;
		first = 0;
		s += word;
		if (*s == ' ')
			s++;
	}
}

/* "Name: value" with value plain when possible, encoded otherwise. */
static void
put_text_header(struct buf *b, const char *name, const char *value)
{
	size_t	 col = strlen(name) + 1;

	buf_puts(b, name);
	buf_putc(b, ':');
	if (plain_ok(value, col))	/* an empty value too */
		put_plain_folded(b, value, col);
	else {
		buf_putc(b, ' ');
		put_encoded_words(b, value, col + 1);
	}
	buf_puts(b, "\r\n");
}

/* Does the display name need quoting (RFC 5322 section 3.2.3 specials)? */
static int
needs_quotes(const char *s)
{
	return strpbrk(s, "()<>[]:;@\\,.\"") != NULL;
}

static int
ascii_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

/* From: [display name] <addr>, the name quoted or encoded as needed. */
static void
put_from(struct buf *b, const char *dname, const char *addr)
{
	const char	*p;
	size_t		 len;
	int		 quote = needs_quotes(dname);

	/* "From: " name " <" addr ">", quotes and backslashes added */
	len = 6 + strlen(dname) + 2 + strlen(addr) + 1;
	if (quote)
		for (len += 2, p = dname; *p != '\0'; p++)
			len += *p == '"' || *p == '\\';
	buf_puts(b, "From: ");
	if (*dname == '\0') {
		buf_puts(b, addr);
	} else if (ascii_printable(dname) && strstr(dname, "=?") == NULL &&
	    len <= LINE_SOFT) {
		if (quote)
			buf_putc(b, '"');
		for (p = dname; *p != '\0'; p++) {
			if (quote && (*p == '"' || *p == '\\'))
				buf_putc(b, '\\');
			buf_putc(b, *p);
		}
		if (quote)
			buf_putc(b, '"');
		buf_printf(b, " <%s>", addr);
	} else {
		put_encoded_words(b, dname, 6);
		buf_printf(b, "\r\n <%s>", addr);
	}
	buf_puts(b, "\r\n");
}

/*
 * Quoted-printable body (RFC 2045 section 6.7).  Any line ending of the
 * text (CRLF, LF, lone CR) becomes a CRLF hard break; bytes other than
 * printable ASCII, '=' and whitespace at the end of a line are encoded;
 * soft breaks keep every line within 76 characters and never split an
 * =XX triplet.  The body always ends with CRLF.
 */
static void
put_qp(struct buf *b, const char *s)
{
	size_t		 col, len, i, t;
	unsigned char	 c;
	int		 enc;

	for (;;) {
		len = strcspn(s, "\r\n");
		col = 0;
		for (i = 0; i < len; i++) {
			c = (unsigned char)s[i];
			if (c == ' ' || c == '\t')
				enc = i + 1 == len;
			else
				enc = c < 33 || c > 126 || c == '=';
			t = enc ? 3 : 1;
			/* room for the soft break's '=' unless last */
			if (col + t > QP_LINE - 1 &&
			    !(i + 1 == len && col + t <= QP_LINE)) {
				buf_puts(b, "=\r\n");
				col = 0;
			}
			if (enc) {
				buf_putc(b, '=');
				buf_putc(b, hex[c >> 4]);
				buf_putc(b, hex[c & 15]);
			} else
				buf_putc(b, (char)c);
			col += t;
		}
		buf_puts(b, "\r\n");
		s += len;
		if (*s == '\0')
			break;
		s += s[0] == '\r' && s[1] == '\n' ? 2 : 1;
		if (*s == '\0')
			break;
	}
}

/* Is id "<...>" of printable ASCII without spaces or brackets inside? */
static int
msgid_ok(const char *id)
{
	size_t	 len = strlen(id), i;

	if (len < 3 || len > 900 || id[0] != '<' || id[len - 1] != '>')
		return 0;
	for (i = 1; i + 1 < len; i++)
		if (id[i] <= ' ' || id[i] > '~' || id[i] == '<' ||
		    id[i] == '>')
			return 0;
	return 1;
}

/* Check every part of m; returns NULL when it can be sent, else why. */
static const char *
check(const struct message *m, char *dname, size_t dn, char *addr,
    size_t an)
{
	if (has_crlf(m->from) || has_crlf(m->to) ||
	    has_crlf(m->subject) || has_crlf(m->message_id))
		return "header value contains CR or LF";
	if (!split_from(m->from, dname, dn, addr, an) ||
	    !utf8_valid(dname, strlen(dname)))
		return "sender address (mail_from) is not valid";
	if (!message_address_ok(m->to))
		return "recipient address is not valid";
	if (!utf8_valid(m->subject, strlen(m->subject)))
		return "subject is not valid UTF-8";
	if (!utf8_valid(m->body, strlen(m->body)))
		return "body is not valid UTF-8";
	if (!msgid_ok(m->message_id))
		return "Message-ID is not valid";
	return NULL;
}

int
message_compose(struct buf *out, const struct message *m, const char **why)
{
	char		 dname[256], addr[MESSAGE_ADDR_MAX + 1], date[64];
	const char	*err;

	if ((err = check(m, dname, sizeof(dname), addr, sizeof(addr))) !=
	    NULL) {
		if (why != NULL)
			*why = err;
		return 0;
	}
	message_date(date, sizeof(date), m->date);
	buf_printf(out, "Date: %s\r\n", date);
	put_from(out, dname, addr);
	buf_printf(out, "To: %s\r\n", m->to);
	put_text_header(out, "Subject", m->subject);
	buf_printf(out, "Message-ID: %s\r\n", m->message_id);
	buf_puts(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "Auto-Submitted: auto-generated\r\n"
	    "\r\n");
	put_qp(out, m->body);
	return 1;
}
