/*
 * t_mail.c: composing e-mail: headers, CRLF, quoted-printable bodies,
 * RFC 2047 subjects (decoded back and compared), folding, addresses and
 * header injection.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mail.h"
#include "tap.h"
#include "utf8.h"

#define FROM	"Chapterhouse <noreply@example.org>"
#define MSGID	"<job-42.1795428000000000@example.org>"
#define DATE	1795428000	/* Mon, 23 Nov 2026 10:00:00 UTC */

static struct buf	 out;

/* Compose with the usual sender; returns message_compose()'s result. */
static int
compose(const char *to, const char *subject, const char *body,
    const char **why)
{
	struct message	 m = { FROM, to, subject, body, MSGID, DATE };

	buf_reset(&out);
	return message_compose(&out, &m, why);
}

/* Every LF preceded by CR and every CR followed by LF? */
static int
crlf_only(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r'))
			return 0;
		if (s[i] == '\r' && (i + 1 == n || s[i + 1] != '\n'))
			return 0;
	}
	return 1;
}

/* Longest line, CRLF not counted, of the n bytes at s. */
static size_t
longest_line(const char *s, size_t n)
{
	size_t	 i, len = 0, max = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' || s[i] == '\n') {
			len = 0;
			continue;
		}
		if (++len > max)
			max = len;
	}
	return max;
}

/* The body: what follows the first empty line. */
static const char *
body_of(const char *msg)
{
	const char	*p = strstr(msg, "\r\n\r\n");

	return p ? p + 4 : "";
}

/* Longest header line (before the empty line). */
static size_t
longest_header_line(const char *msg)
{
	const char	*end = strstr(msg, "\r\n\r\n");

	return end ? longest_line(msg, (size_t)(end - msg)) : 9999;
}

/* The unfolded value of header name (static storage), or NULL. */
static const char *
header(const char *msg, const char *name)
{
	static char	 v[4096];
	const char	*p = msg, *end = strstr(msg, "\r\n\r\n");
	size_t		 nl = strlen(name), o = 0;

	while (p && p < end) {
		if (strncmp(p, name, nl) == 0 && p[nl] == ':') {
			p += nl + 1;
			if (*p == ' ')
				p++;
			/* unfold: drop each CRLF followed by white space */
			while (p < end + 2 && o + 1 < sizeof(v)) {
				if (p[0] == '\r' && p[1] == '\n') {
					if (p[2] != ' ' && p[2] != '\t')
						break;
					p += 2;
					continue;
				}
				v[o++] = *p++;
			}
			v[o] = '\0';
			return v;
		}
		p = strstr(p, "\r\n");
		if (p)
			p += 2;
	}
	return NULL;
}

static int
b64val(char c)
{
	const char	*tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789+/";
	const char	*p = c ? strchr(tbl, c) : NULL;

	return p ? (int)(p - tbl) : -1;
}

/* Base64-decode n chars at s, appending to b; 0 when malformed. */
static int
b64dec(struct buf *b, const char *s, size_t n)
{
	size_t	 i;
	int	 v[4], k;

	if (n % 4 != 0)
		return 0;
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++)
			v[k] = s[i + k] == '=' ? 0 : b64val(s[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
			return 0;
		buf_putc(b, (char)(v[0] << 2 | v[1] >> 4));
		if (s[i + 2] != '=')
			buf_putc(b, (char)((v[1] & 15) << 4 | v[2] >> 2));
		if (s[i + 3] != '=')
			buf_putc(b, (char)((v[2] & 3) << 6 | v[3]));
	}
	return 1;
}

/*
 * Decode an unfolded unstructured value: encoded-words (white space
 * between two of them dropped, RFC 2047 section 6.2) and plain text.
 * Checks each word is at most 75 characters and holds whole UTF-8
 * characters; returns a static string or NULL.
 */
static const char *
decode_2047(const char *v, int *words)
{
	static struct buf	 b;
	const char		*p = v, *q, *e;
	int			 prev_word = 0;
	size_t			 start;

	buf_reset(&b);
	buf_putc(&b, '\0');
	b.len = 0;
	*words = 0;
	while (*p != '\0') {
		if (strncmp(p, "=?UTF-8?B?", 10) == 0 &&
		    (e = strstr(p + 10, "?=")) != NULL) {
			if (e + 2 - p > 75)
				return NULL;
			start = b.len;
			if (!b64dec(&b, p + 10, (size_t)(e - p - 10)) ||
			    !utf8_valid(b.data + start, b.len - start))
				return NULL;
			(*words)++;
			prev_word = 1;
			p = e + 2;
			continue;
		}
		q = p + strspn(p, " \t");
		if (prev_word && q > p && strncmp(q, "=?UTF-8?B?", 10) == 0) {
			p = q;
			continue;
		}
		buf_putc(&b, *p++);
		prev_word = 0;
	}
	return b.data ? b.data : "";
}

/* Decode a quoted-printable body (static string), or NULL. */
static const char *
decode_qp(const char *s)
{
	static struct buf	 b;
	const char		*h = "0123456789ABCDEF", *x, *y;

	buf_reset(&b);
	buf_putc(&b, '\0');
	b.len = 0;
	while (*s != '\0') {
		if (s[0] == '=' && s[1] == '\r' && s[2] == '\n') {
			s += 3;
		} else if (s[0] == '=') {
			if (s[1] == '\0' || (x = strchr(h, s[1])) == NULL ||
			    s[2] == '\0' || (y = strchr(h, s[2])) == NULL)
				return NULL;
			buf_putc(&b, (char)((x - h) << 4 | (y - h)));
			s += 3;
		} else
			buf_putc(&b, *s++);
	}
	return b.data;
}

/* Every encoded body line ends without white space and fits 76. */
static int
qp_lines_ok(const char *s)
{
	const char	*e;

	for (; *s != '\0'; s = e + 2) {
		if ((e = strstr(s, "\r\n")) == NULL)
			return 0;
		if (e - s > 76)
			return 0;
		if (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			return 0;
	}
	return 1;
}

static void
test_headers(void)
{
	const char	*why = NULL;

	is_int(compose("ann@example.org", "Hello", "Line one\nLine two\n",
	    &why), 1, "a plain message composes");
	ok(crlf_only(out.data, out.len), "CRLF line endings everywhere");
	ok(strncmp(out.data, "Date: Mon, 23 Nov 2026 10:00:00 +0000\r\n",
	    39) == 0, "Date first, in RFC 5322 form");
	is_str(header(out.data, "From"), FROM, "From is mail_from");
	is_str(header(out.data, "To"), "ann@example.org", "To");
	is_str(header(out.data, "Subject"), "Hello", "plain Subject as is");
	is_str(header(out.data, "Message-ID"), MSGID, "Message-ID");
	is_str(header(out.data, "MIME-Version"), "1.0", "MIME-Version");
	is_str(header(out.data, "Content-Type"), "text/plain; charset=UTF-8",
	    "Content-Type");
	is_str(header(out.data, "Content-Transfer-Encoding"),
	    "quoted-printable", "Content-Transfer-Encoding");
	is_str(body_of(out.data), "Line one\r\nLine two\r\n",
	    "body after one empty line, lines ending in CRLF");
	ok(longest_header_line(out.data) <= 78, "no header line over 78");

	compose("ann@example.org", "", "x", NULL);
	ok(strstr(out.data, "\r\nSubject:\r\n") != NULL, "an empty Subject");
	is_str(body_of(out.data), "x\r\n", "a body always ends with CRLF");
	compose("ann@example.org", "s", "", NULL);
	is_str(body_of(out.data), "\r\n", "an empty body is one empty line");
}

static void
test_dates_ids(void)
{
	char	 d[64], id[128], a[MESSAGE_ADDR_MAX + 1];

	message_date(d, sizeof(d), 0);
	is_str(d, "Thu, 01 Jan 1970 00:00:00 +0000", "the epoch as a date");
	message_date(d, sizeof(d), 951782400);
	is_str(d, "Tue, 29 Feb 2000 00:00:00 +0000", "a leap day");
	is_int(message_id(id, sizeof(id), 42, "1795428000000000",
	    "noreply@example.org"), 1, "a Message-ID");
	is_str(id, MSGID, "job id, unique part, sender's domain");
	message_id(id, sizeof(id), 7, "1", "nobody");
	is_str(id, "<job-7.1@localhost>", "localhost without a domain");
	is_int(message_id(id, 8, 7, "1", "a@b.c"), 0,
	    "a Message-ID too long for its buffer is refused");

	is_int(message_from_address(FROM, a, sizeof(a)), 1,
	    "the address of \"Name <addr>\"");
	is_str(a, "noreply@example.org", "is the part in brackets");
	message_from_address("  noreply@example.org ", a, sizeof(a));
	is_str(a, "noreply@example.org", "a bare address, trimmed");
	is_int(message_from_address("\"Team, The\" <t@x.org>", a, sizeof(a)),
	    1, "a quoted display name");
	is_int(message_from_address("Name <t@x.org", a, sizeof(a)), 0,
	    "an unclosed bracket is refused");
	is_int(message_from_address("Name <t@x.org>\r\nBcc: b@x.org", a,
	    sizeof(a)), 0, "mail_from with CRLF is refused");
}

static void
test_addresses(void)
{
	ok(message_address_ok("a.b+tag@sub.example.org"), "dot-atom address");
	ok(!message_address_ok("Ann <a@b.c>"), "a display name is refused");
	ok(!message_address_ok("a b@c.d"), "a space is refused");
	ok(!message_address_ok("a@b@c.d"), "two @ are refused");
	ok(!message_address_ok("a..b@c.d"), "a double dot is refused");
	ok(!message_address_ok("@c.d") && !message_address_ok("a@"),
	    "an empty part is refused");
	ok(!message_address_ok("a@c.d>"), "an angle bracket is refused");
	ok(!message_address_ok("\xc3\xa9@c.d"), "non-ASCII is refused");
	ok(!message_address_ok("a@c_d.e"), "an underscore in a domain");
}

static void
test_qp(void)
{
	char		 line[301], eq[101];
	const char	*b, *d;

	compose("a@b.c", "s", "a=b\n", NULL);
	is_str(body_of(out.data), "a=3Db\r\n", "'=' is encoded");
	compose("a@b.c", "s", "end  \nx\t\nsp in the middle\n", NULL);
	is_str(body_of(out.data), "end =20\r\nx=09\r\nsp in the middle\r\n",
	    "trailing space and tab encoded, inner ones kept");
	compose("a@b.c", "s", "caf\xc3\xa9 \xe2\x82\xac", NULL);
	is_str(body_of(out.data), "caf=C3=A9 =E2=82=AC\r\n",
	    "non-ASCII bytes encoded, upper-case hex");
	compose("a@b.c", "s", "one\r\ntwo\rthree\n\nfive", NULL);
	is_str(body_of(out.data), "one\r\ntwo\r\nthree\r\n\r\nfive\r\n",
	    "CRLF, lone CR and LF all become CRLF");
	compose("a@b.c", "s", ".\n..x\nFrom here\n", NULL);
	is_str(body_of(out.data), ".\r\n..x\r\nFrom here\r\n",
	    "no dot-stuffing here: libcurl does it on the wire");

	memset(line, 'a', 300);
	line[300] = '\0';
	compose("a@b.c", "s", line, NULL);
	b = body_of(out.data);
	ok(qp_lines_ok(b), "a 300-character line is split into lines of 76");
	ok(strstr(b, "=\r\n") != NULL, "with soft breaks");
	d = decode_qp(b);
	ok(d && strncmp(d, line, 300) == 0 && strcmp(d + 300, "\r\n") == 0,
	    "and decodes back to the line");

	memset(eq, '=', 100);
	eq[100] = '\0';
	compose("a@b.c", "s", eq, NULL);
	b = body_of(out.data);
	ok(qp_lines_ok(b), "100 '=' fit lines of 76");
	d = decode_qp(b);
	ok(d && strncmp(d, eq, 100) == 0 && strcmp(d + 100, "\r\n") == 0,
	    "no =XX triplet is split by a soft break");

	/* a 75-character line ending in a space: the space is encoded */
	memset(line, 'b', 74);
	line[74] = ' ';
	line[75] = '\0';
	compose("a@b.c", "s", line, NULL);
	b = body_of(out.data);
	ok(qp_lines_ok(b), "a line ending in a space at the limit");
	d = decode_qp(b);
	ok(d && strncmp(d, line, 75) == 0 && strcmp(d + 75, "\r\n") == 0,
	    "decodes back with its space");

	/* exactly 76 plain characters need no soft break */
	memset(line, 'c', 76);
	line[76] = '\0';
	compose("a@b.c", "s", line, NULL);
	ok(strchr(body_of(out.data), '=') == NULL,
	    "a line of exactly 76 is not broken");
}

/* Compose with subject s; check folding, decode it, compare. */
static void
subject_roundtrip(const char *s, int want_encoded, const char *name)
{
	const char	*v, *d;
	int		 words;

	if (!ok(compose("a@b.c", s, "x", NULL) == 1, "%s: composes", name))
		return;
	ok(longest_header_line(out.data) <= 78, "%s: header lines within 78",
	    name);
	ok(crlf_only(out.data, out.len), "%s: CRLF only", name);
	v = header(out.data, "Subject");
	d = v ? decode_2047(v, &words) : NULL;
	is_str(d, s, "%s: decodes back", name);
	if (want_encoded)
		ok(words > 0, "%s: as encoded-words (%d)", name, words);
	else
		is_int(words, 0, "%s: as plain text", name);
}

static void
test_subjects(void)
{
	char	 long_ascii[300], long_utf8[600], word[101];
	int	 i;

	subject_roundtrip("R\xc3\xa9initialiser votre mot de passe", 1,
	    "non-ASCII subject");
	compose("a@b.c", "\xc3\xa9t\xc3\xa9", "x", NULL);
	is_str(header(out.data, "Subject"), "=?UTF-8?B?w6l0w6k=?=",
	    "an encoded-word is =?UTF-8?B?base64?=");

	long_ascii[0] = '\0';
	for (i = 0; i < 20; i++)
		strcat(long_ascii, i ? " subject" : "A long");
	subject_roundtrip(long_ascii, 0, "long ASCII subject");
	ok(strstr(out.data, "\r\n subject") != NULL,
	    "long ASCII subject: folded at a space");

	long_utf8[0] = '\0';
	for (i = 0; i < 50; i++)
		strcat(long_utf8, i % 2 ? "\xe6\x97\xa5\xe6\x9c\xac" :
		    "\xc3\xa9t\xc3\xa9 \xf0\x9f\x93\xa7 ");
	subject_roundtrip(long_utf8, 1, "long non-ASCII subject");

	memset(word, 'w', 100);
	word[100] = '\0';
	subject_roundtrip(word, 1, "a 100-character word");
	subject_roundtrip("looks =?like?= a word", 1, "text like an "
	    "encoded-word");
	subject_roundtrip(" leading and  double spaces ", 1, "odd spacing");
	subject_roundtrip("tab\there", 1, "a tab");
}

static void
test_injection(void)
{
	const char	*why = NULL;

	buf_reset(&out);
	is_int(compose("a@b.c", "Hi\r\nBcc: x@evil.example", "x", &why), 0,
	    "CRLF in a subject is refused");
	ok(why && strstr(why, "CR or LF"), "saying why (%s)", why ? why : "");
	is_int((int)out.len, 0, "and nothing is written");
	is_int(compose("a@b.c", "Hi\nBcc: x@evil.example", "x", NULL), 0,
	    "a bare LF in a subject is refused");
	is_int(compose("a@b.c", "Hi\rthere", "x", NULL), 0,
	    "a bare CR in a subject is refused");
	is_int(compose("a@b.c\r\nBcc: x@evil.example", "s", "x", NULL), 0,
	    "CRLF in a recipient is refused");
	is_int(compose("a@b.c>\r\nRCPT TO:<x@evil.example", "s", "x", NULL),
	    0, "an SMTP command smuggled in a recipient is refused");
	why = NULL;
	is_int(compose("Ann <a@b.c>", "s", "x", &why), 0,
	    "a recipient with a display name is refused");
	ok(why && strstr(why, "recipient"), "saying why (%s)", why ? why : "");
	is_int(compose("a@b.c", "\xff\xfe", "x", NULL), 0,
	    "a subject that is not UTF-8 is refused");
	is_int(compose("a@b.c", "s", "\xc3(", NULL), 0,
	    "a body that is not UTF-8 is refused");
	{
		struct message	 m = { "x\r\n@b.c", "a@b.c", "s", "b", MSGID,
				    DATE };

		is_int(message_compose(&out, &m, NULL), 0,
		    "a sender with CRLF is refused");
		m.from = FROM;
		m.message_id = "<a b@c>";
		is_int(message_compose(&out, &m, NULL), 0,
		    "a Message-ID with a space is refused");
	}
}

static void
test_from(void)
{
	struct message	 m = { "\"Team, The\" <t@x.org>", "a@b.c", "s", "b",
			    MSGID, DATE };
	const char	*v, *d;
	int		 words;

	buf_reset(&out);
	message_compose(&out, &m, NULL);
	is_str(header(out.data, "From"), "\"Team, The\" <t@x.org>",
	    "a display name with a comma is quoted");
	m.from = "\xc3\x89quipe Chapterhouse <t@x.org>";
	buf_reset(&out);
	message_compose(&out, &m, NULL);
	v = header(out.data, "From");
	ok(v && strncmp(v, "=?UTF-8?B?", 10) == 0,
	    "a non-ASCII display name is encoded");
	d = v ? decode_2047(v, &words) : NULL;
	is_str(d, "\xc3\x89quipe Chapterhouse <t@x.org>",
	    "and decodes back with the address");
	m.from = "t@x.org";
	buf_reset(&out);
	message_compose(&out, &m, NULL);
	is_str(header(out.data, "From"), "t@x.org", "a bare sender");
}

int
main(void)
{
	buf_init(&out);
	test_headers();
	test_dates_ids();
	test_addresses();
	test_qp();
	test_subjects();
	test_injection();
	test_from();
	buf_free(&out);
	return tap_done();
}
