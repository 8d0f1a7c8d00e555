/*
 * smtp.c: hand one composed message to the SMTP server with libcurl.
 *
 * One easy handle per delivery: a worker sends a message every now and
 * then, so keeping a connection open would buy nothing and hold a
 * server slot.  libcurl dot-stuffs the upload and ends it with
 * CRLF.CRLF itself (RFC 5321 section 4.5.2), so the message is passed
 * as composed.  Only smtp:// and smtps:// URLs are followed, whatever
 * the configuration says.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "conf.h"
#include "log.h"
#include "mail.h"

struct upload {
	const char	*p;
	size_t		 left;
};

/* CURLOPT_READFUNCTION: the next part of the message. */
static size_t
read_cb(char *dst, size_t size, size_t nmemb, void *arg)
{
	struct upload	*u = arg;
	size_t		 n = size * nmemb;

	if (n > u->left)
		n = u->left;
	memcpy(dst, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

int
smtp_init(void)
{
	CURLcode	 rc;

	if ((rc = curl_global_init(CURL_GLOBAL_DEFAULT)) != CURLE_OK) {
		log_error("could not initialise libcurl: %s",
		    curl_easy_strerror(rc));
		return -1;
	}
	return 1;
}

/*
 * One line of error text in err: control characters replaced, and the
 * password, should libcurl ever quote it, blotted out.
 */
static void
set_error(char *err, size_t n, const char *what, const char *detail,
    const char *password)
{
	char	*p;
	size_t	 plen = strlen(password);

	snprintf(err, n, "%s%s%s", what, *detail ? ": " : "", detail);
	for (p = err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (plen >= 4)
		while ((p = strstr(err, password)) != NULL)
			memset(p, '*', plen);
	/* drop the trailing space left by a response's CRLF */
	for (p = err + strlen(err); p > err && p[-1] == ' '; )
		*--p = '\0';
}

/* The options of one delivery; 1, or 0 when libcurl refused one. */
static int
setup(CURL *h, const struct conf *c, const char *from,
    struct curl_slist *rcpts, struct upload *u, char *errbuf)
{
	CURLcode	 rc = CURLE_OK;

#define SET(opt, val)	if (rc == CURLE_OK) rc = curl_easy_setopt(h, opt, val)
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_URL, c->smtp_url);
#if LIBCURL_VERSION_NUM >= 0x075500	/* 7.85.0 */
	SET(CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
	SET(CURLOPT_PROTOCOLS, (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	SET(CURLOPT_MAIL_FROM, from);
	SET(CURLOPT_MAIL_RCPT, rcpts);
	SET(CURLOPT_UPLOAD, 1L);
	SET(CURLOPT_READFUNCTION, read_cb);
	SET(CURLOPT_READDATA, u);
	SET(CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->left);
	SET(CURLOPT_TIMEOUT, (long)c->smtp_timeout);
	SET(CURLOPT_CONNECTTIMEOUT, (long)(c->smtp_timeout < 30 ?
	    c->smtp_timeout : 30));
	if (c->smtp_starttls)
		SET(CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (c->smtp_user[0] != '\0') {
		SET(CURLOPT_USERNAME, c->smtp_user);
		SET(CURLOPT_PASSWORD, c->smtp_password);
	}
#undef SET
	return rc == CURLE_OK;
}

int
smtp_send(const struct conf *c, const char *from, const char *rcpt,
    const char *data, size_t len, char *err, size_t errlen)
{
	CURL			*h;
	struct curl_slist	*rcpts = NULL, *l;
	struct upload		 u = { data, len };
	char			 errbuf[CURL_ERROR_SIZE],
				 path[MESSAGE_ADDR_MAX + 3];
	CURLcode		 rc;
	int			 ok = 0;

	errbuf[0] = '\0';
	if ((h = curl_easy_init()) == NULL) {
		set_error(err, errlen, "could not create a libcurl handle", "",
		    "");
		return 0;
	}
	snprintf(path, sizeof(path), "<%s>", rcpt);
	if ((l = curl_slist_append(rcpts, path)) == NULL) {
		set_error(err, errlen, "out of memory", "", "");
		goto out;
	}
	rcpts = l;
	snprintf(path, sizeof(path), "<%s>", from);
	if (!setup(h, c, path, rcpts, &u, errbuf)) {
		set_error(err, errlen, "libcurl refused an SMTP option",
		    errbuf, c->smtp_password);
		goto out;
	}
	if ((rc = curl_easy_perform(h)) != CURLE_OK) {
		set_error(err, errlen, curl_easy_strerror(rc), errbuf,
		    c->smtp_password);
		goto out;
	}
	ok = 1;
out:
	curl_slist_free_all(rcpts);
	curl_easy_cleanup(h);
	return ok;
}
