/*
 * mail.h: outgoing e-mail: composing an RFC 5322 message (message.c, pure
 * functions) and handing it to an SMTP server (smtp.c, libcurl).
 *
 * A message is plain UTF-8 text: headers Date, From, To, Subject
 * (RFC 2047 encoded-words when it is not plain printable ASCII),
 * Message-ID, MIME-Version, Content-Type text/plain; charset=UTF-8 and
 * Content-Transfer-Encoding quoted-printable (RFC 2045 section 6.7), with
 * CRLF line endings throughout.  SMTP dot-stuffing (RFC 5321 section
 * 4.5.2) is left to libcurl, which does it for every upload.
 */
#ifndef MAIL_H
#define MAIL_H

#include <stddef.h>
#include <time.h>

struct buf;
struct conf;

/* Longest address accepted (RFC 5321 section 4.5.3.1.3, a path). */
#define MESSAGE_ADDR_MAX	254

struct message {
	const char	*from;		/* mail_from: "addr" or "Name <addr>" */
	const char	*to;		/* one bare address */
	const char	*subject;	/* UTF-8 */
	const char	*body;		/* UTF-8 text, any line endings */
	const char	*message_id;	/* "<...>", see message_id() */
	time_t		 date;
};

/*
 * Append the whole message m to out.  Returns 1, or 0 when m cannot be
 * sent as it is: a header value holding CR or LF (header injection), an
 * address that is not one plain addr-spec, text that is not UTF-8; *why
 * (when why is not NULL) then names the problem in a static string, and
 * out is unchanged.  The strings end at their first NUL: a caller taking
 * them from counted data (JSON) refuses an embedded NUL itself.
 */
int	 message_compose(struct buf *out, const struct message *m,
	    const char **why);

/*
 * Is addr one plain ASCII addr-spec (local@domain, no spaces, quotes,
 * angle brackets, control characters, at most MESSAGE_ADDR_MAX bytes)?
 * Such an address can go into a header and an SMTP command unchanged.
 * Returns 1 or 0.
 */
int	 message_address_ok(const char *addr);

/*
 * Copy the bare address of a mail_from value ("addr" or
 * "Display Name <addr>") into dst (size n).  Returns 1, or 0 when from
 * holds no acceptable address (message_address_ok()) or dst is too small.
 */
int	 message_from_address(const char *from, char *dst, size_t n);

/*
 * Write a Message-ID "<job-ID.UNIQUE@DOMAIN>" into dst (size n): the
 * same job always gets the same one, so a duplicate delivery can be
 * recognised.  unique is a token fixed for the job (made of letters and
 * digits); domain is taken from the address from_addr ("localhost" when
 * it has none).  Returns 1, or 0 when dst is too small.
 */
int	 message_id(char *dst, size_t n, long long job, const char *unique,
	    const char *from_addr);

/*
 * Write t as an RFC 5322 section 3.3 date in UTC into dst (size n, at
 * least 32): "Mon, 23 Nov 2026 10:00:00 +0000".
 */
void	 message_date(char *dst, size_t n, time_t t);

/*
 * Prepare libcurl; once per process, before any smtp_send().  Returns 1,
 * or -1 when libcurl cannot start (logged).
 */
int	 smtp_init(void);

/*
 * Send the len bytes of data (a whole message) from the address from to
 * the address rcpt through the server of c (smtp_url, smtp_starttls,
 * smtp_user, smtp_password, smtp_timeout).  Returns 1 when the server
 * accepted the message, or 0 with the reason in err (size errlen: one
 * line, without the password).
 */
int	 smtp_send(const struct conf *c, const char *from, const char *rcpt,
	    const char *data, size_t len, char *err, size_t errlen);

#endif
