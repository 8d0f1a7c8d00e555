/* form.c: validators and bad-input answers shared by pages and API. */
#include "config.h"

#include <limits.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "arena.h"
#include "conf.h"
#include "date.h"
#include "form.h"
#include "hashcap.h"
#include "kv.h"
#include "log.h"
#include "password.h"
#include "req.h"
#include "resp.h"

/* A hash of a password nobody knows, at the current parameters. */
#define DECOY	"$s1$100802$I6FrdbQolqv927jXqQFebw==$LS/Sl0uwP1C2nhMFywJi3ST" \
		"KGh+U+OtNzX0RJ9cWpHkukOHVuJpa9hP6dfCif2HwCW+r/gEccObPrAkXyO1rUA=="

int
form_fail(struct req *r, int status, const char *view, json_t *data,
    const char *code, const char *field, const char *msg)
{
	json_t	*errors;

	if (r->fmt == FMT_JSON || view == NULL) {
		json_decref(data);
		return req_fail(r, status, code, field, "%s", msg);
	}
	if (data == NULL)
		data = json_object();
	errors = json_object_get(data, "errors");
	if (errors == NULL) {
		errors = json_object();
		json_object_set_new(data, "errors", errors);
	}
	if (field != NULL)
		json_object_set_new(errors, field, json_string(msg));
	json_object_set_new(data, "alert", json_string(msg));
	return req_view(r, status, view, data);
}

static size_t
chars(const char *s)
{
	size_t	 n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

const char *
form_text(struct req *r, const char *view, json_t *data, const char *field,
    const char *label, size_t max)
{
	const char	*v = req_field(r, field), *p;
	char		*t;
	size_t		 len;

	if (v == NULL)
		v = "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	len = strlen(v);
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' ||
	    v[len - 1] == '\r' || v[len - 1] == '\n'))
		len--;
	t = arena_alloc(r->a, len + 1);
	memcpy(t, v, len);
	t[len] = '\0';
	if (len == 0) {
		form_fail(r, 422, view, data, "missing", field,
		    arena_printf(r->a, "%s is required", label));
		return NULL;
	}
	if (chars(t) > max) {
		form_fail(r, 422, view, data, "too_long", field,
		    arena_printf(r->a, "%s must be at most %zu characters",
		    label, max));
		return NULL;
	}
	for (p = t; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			form_fail(r, 422, view, data, "invalid", field,
			    arena_printf(r->a, "%s must not contain control "
			    "characters", label));
			return NULL;
		}
	return t;
}

int
form_email_valid(const char *s)
{
	const char	*at = strchr(s, '@'), *p;
	size_t		 len = strlen(s);

	if (len < 3 || len > EMAIL_MAX || at == NULL || at == s ||
	    at - s > 64 || strchr(at + 1, '@') != NULL ||
	    strchr(at + 1, '.') == NULL || at[1] == '.' || s[len - 1] == '.')
		return 0;
	for (p = s; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f ||
		    strchr("\"<>(),;:\\[]", *p) != NULL)
			return 0;
	return 1;
}

int
form_unit_role(const char *s)
{
	static const char *const roles[] = {
		"owner", "editor", "author", "guest", NULL
	};
	const char *const	*p;

	for (p = roles; s != NULL && *p != NULL; p++)
		if (strcmp(*p, s) == 0)
			return 1;
	return 0;
}

int
form_last_day(const char *s)
{
	time_t	 t, now = time(NULL);

	if (!date_parse(s, &t))
		return 0;
	return t >= now && t <= now + 366 * 86400;
}

int
form_digits(const char *s, long long min, long long max, long long *out)
{
	long long	 v = 0;
	size_t		 i;

	if (s == NULL || s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (LLONG_MAX - 9) / 10)
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

int
form_int(struct req *r, const char *field, long long min, long long max,
    long long *out)
{
	const char	*s;
	json_t		*v;

	if (r->json != NULL) {
		v = json_object_get(r->json, field);
		if (v == NULL || json_is_null(v))
			return 0;
		if (json_is_integer(v)) {
			if (json_integer_value(v) < min ||
			    json_integer_value(v) > max)
				return -1;
			*out = json_integer_value(v);
			return 1;
		}
		s = json_string_value(v);
	} else if ((s = kv_get(&r->form, field)) == NULL || *s == '\0')
		return 0;
	return form_digits(s, min, max, out) ? 1 : -1;
}

int
form_bool(struct req *r, const char *field, int *out)
{
	const char	*s;
	json_t		*v;

	if (r->json != NULL) {
		if ((v = json_object_get(r->json, field)) == NULL)
			return 0;
		if (!json_is_boolean(v))
			return -1;
		*out = json_is_true(v);
		return 1;
	}
	/* An unchecked box is not sent at all. */
	if ((s = kv_get(&r->form, field)) == NULL || *s == '\0' ||
	    strcmp(s, "false") == 0 || strcmp(s, "off") == 0 ||
	    strcmp(s, "0") == 0)
		*out = 0;
	else if (strcmp(s, "on") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "1") == 0)
		*out = 1;
	else
		return -1;
	return 1;
}

static int
busy(struct req *r)
{
	resp_header(r, "Retry-After", "2");
	logm(L_WARN, r->id, "password hashing is at its cap (%d at once)",
	    r->conf->max_hashes);
	return req_fail(r, 503, "busy", NULL, "the server is busy; please try "
	    "again in a few seconds");
}

int
form_hash(struct req *r, const char *pw, char *out)
{
	int	 slot, rc;

	if ((slot = hashcap_acquire(r->app->hashcap, r->conf->max_hashes)) < 0) {
		busy(r);
		return 0;
	}
	rc = password_hash(pw, strlen(pw), out);
	hashcap_release(r->app->hashcap, slot);
	if (rc != 1) {
		req_fail(r, 500, "hash_failed", NULL, "the password could not "
		    "be stored; the error has been logged");
		return 0;
	}
	return 1;
}

int
form_verify(struct req *r, const char *stored, const char *pw)
{
	int	 slot, rc;

	if ((slot = hashcap_acquire(r->app->hashcap, r->conf->max_hashes)) < 0) {
		busy(r);
		return -1;
	}
	/*
	 * A hash that cannot be checked (none, or the "!" of an account
	 * still waiting for its password) fails without hashing; the decoy
	 * is hashed instead so that the answer takes the same time.
	 */
	rc = stored != NULL ? password_verify(stored, pw, strlen(pw)) : -1;
	if (rc < 0)
		(void)password_verify(DECOY, pw, strlen(pw));
	hashcap_release(r->app->hashcap, slot);
	return rc == 1;
}
