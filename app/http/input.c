/*
 * input.c: declared input, read alike from a form and a JSON body and
 * checked before the handler runs.
 *
 * A parameter exists for a handler only if its route declares it and it
 * is valid; bad input is answered here, naming the field, so handlers
 * neither parse nor re-check.  The reader (input_read()) is pure, so
 * unit tests and the fuzzer drive it without a request.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "date.h"
#include "input.h"
#include "kv.h"
#include "req.h"
#include "utf8.h"

#define EMAIL_MAX	254
#define SPACE		" \t\r\n"

/* Slugs that name, or may one day name, the site's own pages. */
static const char *const reserved[] = {
	"about", "account", "admin", "api", "confirm", "edit", "healthz",
	"help", "hub", "login", "logout", "me", "new", "password", "rules",
	"settings", "signup", "static", "units", "www", NULL
};

/* One read in progress. */
struct rd {
	struct arena		*a;
	const struct input_form	*f;
	json_t			*json;
	const struct kvlist	*kv;
	time_t			 now;
	struct perr		*e;
};

int
input_one_of(const char *const *list, const char *s)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, s) == 0)
			return 1;
	return 0;
}

int
input_email_valid(const char *s)
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

const char *
input_slug_problem(const char *s)
{
	size_t	 len = strlen(s);

	if (len < 2 || len > 50)
		return "the address must have 2 to 50 characters";
	if (strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") != len)
		return "the address may only have lowercase letters, "
		    "digits and hyphens (no spaces or capitals)";
	if (s[0] == '-' || s[len - 1] == '-')
		return "the address may not start or end with a hyphen";
	if (input_one_of(reserved, s))
		return "this address is reserved; choose another";
	return NULL;
}

int
input_digits(const char *s, long long min, long long max, long long *out)
{
	long long	 v = 0;
	size_t		 i;

	if (s == NULL || s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] < '0' || s[i] > '9' || v > max / 10 ||
		    (v == max / 10 && s[i] - '0' > max % 10))
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	if (v < min)
		return 0;
	*out = v;
	return 1;
}

int
input_future_date(const char *s, time_t now, long long days)
{
	time_t	 t;

	if (!date_parse(s, &t))
		return 0;
	return t >= now && (long long)t <= (long long)now + days * 86400;
}

/* Record why f's value is refused; returns 0. */
static int
input_bad(struct rd *d, const struct input_field *f, const char *code,
    const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
input_bad(struct rd *d, const struct input_field *f, const char *code,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = arena_vprintf(d->a, fmt, ap);
	va_end(ap);
	perr_set(d->e, d->a, d->f->query ? 400 : 422, code, f->name, "%s",
	    msg);
	return 0;
}

static const char *
input_label(const struct input_field *f)
{
	return f->label != NULL ? f->label : f->name;
}

/* f is not of its type: its own message, or a general one. */
static int
input_invalid(struct rd *d, const struct input_field *f)
{
	if (f->invalid != NULL)
		return input_bad(d, f, "invalid", "%s", f->invalid);
	return input_bad(d, f, "invalid", "%s is not valid", input_label(f));
}

static const char *
input_form_name(const struct input_field *f)
{
	return f->form != NULL ? f->form : f->name;
}

/*
 * The value of f as sent: *j the JSON member (NULL when absent), or the
 * form's text (NULL when absent).
 */
static const char *
input_raw(struct rd *d, const struct input_field *f, json_t **j)
{
	*j = NULL;
	if (d->json != NULL) {
		*j = json_object_get(d->json, f->name);
		return json_string_value(*j);
	}
	return kv_get(d->kv, input_form_name(f));
}

/*
 * Text fields: trimmed (unless IN_RAW), blank is absent, then length and
 * control characters.  1 with v set, 0 refused.
 */
static int
input_read_text(struct rd *d, const struct input_field *f, const char *s,
    struct input_value *v)
{
	const char	*p;
	size_t		 len, n;

	/* A copy: the value outlives the parsed body. */
	if (!(f->flags & IN_RAW)) {
		s += strspn(s, SPACE);
		for (len = strlen(s); len > 0 && strchr(SPACE, s[len - 1]);
		    len--)
			;
		s = arena_strndup(d->a, s, len);
	} else
		s = arena_strdup(d->a, s);
	if (*s == '\0' || (!(f->flags & IN_BLANK) &&
	    s[strspn(s, SPACE)] == '\0'))
		return 1;
	n = (f->flags & IN_BYTES) ? strlen(s) : utf8_chars(s);
	if (f->type == IN_TEXT && f->max > 0 && n > (size_t)f->max)
		return input_bad(d, f, "too_long", "%s must be at most %lld %s",
		    input_label(f), f->max, (f->flags & IN_BYTES) ? "bytes" :
		    "characters");
	for (p = s; !(f->flags & IN_RAW) && *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return input_bad(d, f, "invalid", "%s must not contain "
			    "control characters", input_label(f));
	v->present = 1;
	v->text = s;
	return 1;
}

static int
input_read_int(struct rd *d, const struct input_field *f, json_t *j,
    const char *s, struct input_value *v)
{
	if (j != NULL && !json_is_null(j) && !json_is_integer(j) &&
	    !json_is_string(j))
		return input_invalid(d, f);
	if (json_is_integer(j)) {
		if (json_integer_value(j) < f->min ||
		    json_integer_value(j) > f->max)
			return input_invalid(d, f);
		v->num = json_integer_value(j);
	} else if (s == NULL || (j == NULL && *s == '\0'))
		return 1;
	else if (!input_digits(s, f->min, f->max, &v->num))
		return input_invalid(d, f);
	v->present = 1;
	v->text = arena_printf(d->a, "%lld", v->num);
	return 1;
}

/* An unchecked box is not sent at all: a form always says yes or no. */
static int
input_read_bool(struct rd *d, const struct input_field *f, json_t *j,
    const char *s, struct input_value *v)
{
	if (d->json != NULL) {
		if (j == NULL)
			return 1;
		if (!json_is_boolean(j))
			return input_invalid(d, f);
		v->num = json_is_true(j);
	} else if (s == NULL || *s == '\0' || strcmp(s, "false") == 0 ||
	    strcmp(s, "off") == 0 || strcmp(s, "0") == 0)
		v->num = 0;
	else if (strcmp(s, "on") == 0 || strcmp(s, "true") == 0 ||
	    strcmp(s, "1") == 0)
		v->num = 1;
	else
		return input_invalid(d, f);
	v->present = 1;
	v->text = v->num ? "true" : "false";
	return 1;
}

/* Add item s (n bytes) to the list of f once, checked; 0 refused. */
static int
input_item(struct rd *d, const struct input_field *f, const char *s,
    size_t n, struct input_value *v)
{
	const char	*t = arena_strndup(d->a, s, n);
	char		*shown;
	size_t		 i;

	if (f->item != NULL)
		t = f->item(d->a, t);
	else if (!input_one_of(f->allowed, t))
		t = NULL;
	if (t == NULL) {
		shown = arena_strndup(d->a, s, n > 60 ? 60 : n);
		shown[utf8_cut(shown, strlen(shown))] = '\0';
		return input_bad(d, f, "invalid", "\"%s\": %s", shown,
		    f->invalid != NULL ? f->invalid : "not acceptable");
	}
	for (i = 0; i < json_array_size(v->list); i++)
		if (strcmp(json_string_value(json_array_get(v->list, i)),
		    t) == 0)
			return 1;
	json_array_append_new(v->list, json_string(t));
	return 1;
}

static void
input_list_release(void *p)
{
	json_decref(p);
}

static int
input_read_list(struct rd *d, const struct input_field *f, json_t *j,
    struct input_value *v)
{
	const char	*s, *e;
	json_t		*m;
	size_t		 i, n;

	if (d->json != NULL && (j == NULL || json_is_null(j)))
		return 1;
	if (d->json != NULL && !json_is_array(j))
		return input_invalid(d, f);
	v->list = json_array();
	arena_cleanup(d->a, input_list_release, v->list);
	if (d->json != NULL) {
		json_array_foreach(j, i, m) {
			if (json_is_integer(m))
				s = arena_printf(d->a, "%" JSON_INTEGER_FORMAT,
				    json_integer_value(m));
			else if ((s = json_string_value(m)) == NULL)
				return input_invalid(d, f);
			if (!input_item(d, f, s, strlen(s), v))
				return 0;
		}
	} else if (f->flags & IN_BOXES) {
		for (i = 0; f->allowed != NULL && f->allowed[i] != NULL; i++)
			if (kv_get(d->kv, arena_printf(d->a, "%s%s",
			    input_form_name(f), f->allowed[i])) != NULL)
				json_array_append_new(v->list,
				    json_string(f->allowed[i]));
	} else if (f->flags & IN_LINES) {
		s = kv_get(d->kv, input_form_name(f));
		while (s != NULL && *(s += strspn(s, SPACE)) != '\0') {
			e = s + strcspn(s, "\r\n");
			n = (size_t)(e - s);
			while (n > 0 && strchr(" \t", s[n - 1]) != NULL)
				n--;
			if (!input_item(d, f, s, n, v))
				return 0;
			s = e;
		}
	} else if (f->flags & IN_SPLIT) {
		s = kv_get(d->kv, input_form_name(f));
		while (s != NULL && *(s += strspn(s, SPACE ",;")) != '\0') {
			e = s + strcspn(s, SPACE ",;");
			if (!input_item(d, f, s, (size_t)(e - s), v))
				return 0;
			s = e;
		}
	} else {
		for (i = 0; i < d->kv->n; i++)
			if (strcmp(d->kv->v[i].key, input_form_name(f)) == 0 &&
			    !input_item(d, f, d->kv->v[i].val,
			    strlen(d->kv->v[i].val), v))
				return 0;
	}
	if (f->max > 0 && json_array_size(v->list) > (size_t)f->max)
		return input_bad(d, f, "too_many", "at most %lld of %s at once",
		    f->max, input_label(f));
	v->present = json_array_size(v->list) > 0 || !(f->flags & IN_REQUIRED);
	return 1;
}

/* Text-valued types: the text first, then what it must be. */
static int
input_read_word(struct rd *d, const struct input_field *f, json_t *j,
    const char *s, struct input_value *v)
{
	const char	*why;

	if (s == NULL) {
		if (j != NULL && !json_is_null(j))
			return input_invalid(d, f);
		return 1;
	}
	if (!input_read_text(d, f, s, v))
		return 0;
	if (!v->present)
		return 1;
	switch (f->type) {
	case IN_DATE:
		if ((f->flags & IN_FUTURE) ? !input_future_date(v->text, d->now,
		    f->max) : !date_parse(v->text, NULL))
			return input_invalid(d, f);
		break;
	case IN_EMAIL:
		if (!input_email_valid(v->text))
			return input_invalid(d, f);
		break;
	case IN_SLUG:
		if ((why = input_slug_problem(v->text)) != NULL)
			return input_bad(d, f, "invalid", "%s", why);
		break;
	case IN_ENUM:
		if (!input_one_of(f->allowed, v->text))
			return input_invalid(d, f);
		break;
	default:
		if (f->item != NULL && (v->text = f->item(d->a,
		    v->text)) == NULL)
			return input_invalid(d, f);
		break;
	}
	return 1;
}

/* Whether f applies: its condition, if any, holds as sent. */
static int
input_applies(struct rd *d, const struct input_field *f)
{
	const char	*s;

	if (f->if_name == NULL)
		return 1;
	if (d->json != NULL)
		s = json_string_value(json_object_get(d->json, f->if_name));
	else
		s = kv_get(d->kv, f->if_name);
	return s != NULL && strcmp(s, f->if_value) == 0;
}

int
input_read(struct arena *a, const struct input_form *form, json_t *json,
    const struct kvlist *kv, time_t now, struct input_value *out,
    struct perr *e)
{
	struct rd		 d = { a, form, json, kv, now, e };
	const struct input_field *f;
	json_t			*j;
	const char		*s;
	size_t			 i;
	int			 ok;

	memset(e, 0, sizeof(*e));
	if (json != NULL && !json_is_object(json))
		d.json = json = NULL, d.kv = kv = NULL;
	for (i = 0; i < form->n; i++) {
		f = &form->fields[i];
		memset(&out[i], 0, sizeof(out[i]));
		out[i].text = "";
		if (f->name == NULL)
			continue;	/* not read by this form */
		if ((json == NULL && kv == NULL) || !input_applies(&d, f)) {
			if (f->flags & IN_REQUIRED)
				goto missing;
			continue;
		}
		s = input_raw(&d, f, &j);
		switch (f->type) {
		case IN_INT:
			ok = input_read_int(&d, f, j, s, &out[i]);
			break;
		case IN_BOOL:
			ok = input_read_bool(&d, f, j, s, &out[i]);
			break;
		case IN_LIST:
			ok = input_read_list(&d, f, j, &out[i]);
			break;
		default:
			ok = input_read_word(&d, f, j, s, &out[i]);
			break;
		}
		if (!ok)
			return 0;
		if (!out[i].present && (f->flags & IN_REQUIRED))
			goto missing;
	}
	return 1;
missing:
	if (f->missing != NULL)
		return input_bad(&d, f, "missing", "%s", f->missing);
	return input_bad(&d, f, "missing", "%s is required", input_label(f));
}

int
input_check(struct req *r)
{
	const struct input_form	*f = r->route->input;
	struct input		*in;
	struct perr		 e;

	if (f == NULL)
		return 0;
	in = arena_calloc(r->a, 1, sizeof(*in));
	in->form = f;
	in->v = arena_calloc(r->a, f->n, sizeof(*in->v));
	if (!input_read(r->a, f, f->query ? NULL : r->json, f->query ?
	    &r->query : &r->form, time(NULL), in->v, &e))
		return input_fail(r, e.status, e.code, e.field, "%s",
		    e.message);
	r->in = in;
	return 0;
}

json_t *
input_values(struct req *r)
{
	const struct input_form	*f = r->route != NULL ? r->route->input :
				    NULL;
	const struct input_field *fl;
	const struct kvlist	*kv;
	json_t			*v = req_object(r);
	const char		*s;
	size_t			 i, k;

	if (f == NULL || r->json != NULL)
		return v;
	kv = f->query ? &r->query : &r->form;
	for (i = 0; i < f->n; i++) {
		fl = &f->fields[i];
		if (fl->name == NULL || (fl->flags & IN_SECRET))
			continue;
		for (k = 0; k < kv->n; k++) {
			if (strcmp(kv->v[k].key, input_form_name(fl)) != 0)
				continue;
			s = kv->v[k].val;
			json_object_set_new(v, fl->name, json_string(s));
			if (fl->echo != NULL)
				json_object_set_new(v, arena_printf(r->a,
				    "%s%s", fl->echo, s), json_true());
		}
	}
	return v;
}

int
input_show(struct req *r, int status, const char *view, json_t *data,
    const char *code, const char *field, const char *msg)
{
	json_t	*errors;

	if (r->fmt == FMT_JSON || view == NULL)
		return req_fail(r, status, code, field, "%s", msg);
	if (data == NULL)
		data = req_object(r);
	if ((errors = json_object_get(data, "errors")) == NULL) {
		errors = json_object();
		json_object_set_new(data, "errors", errors);
	}
	if (field != NULL)
		json_object_set_new(errors, field, json_string(msg));
	json_object_set_new(data, "alert", json_string(msg));
	return req_view(r, status, view, data);
}

int
input_fail(struct req *r, int status, const char *code, const char *field,
    const char *fmt, ...)
{
	const struct input_form	*f = r->route != NULL ? r->route->input :
				    NULL;
	json_t			*data;
	va_list			 ap;
	char			*msg;

	va_start(ap, fmt);
	msg = arena_vprintf(r->a, fmt, ap);
	va_end(ap);
	if (r->fmt == FMT_JSON || f == NULL || f->view == NULL)
		return req_fail(r, status, code, field, "%s", msg);
	if (f->page == NULL)
		data = req_pack(r, "{s:O}", "values", input_values(r));
	else if ((data = f->page(r, input_values(r), field, msg)) == NULL)
		return r->resp.status;
	return input_show(r, status, f->view, data, code, field, msg);
}

static const struct input_value *
input_get(const struct req *r, size_t i)
{
	if (r->in == NULL || i >= r->in->form->n)
		return NULL;
	return &r->in->v[i];
}

int
input_has(const struct req *r, size_t i)
{
	const struct input_value *v = input_get(r, i);

	return v != NULL && v->present;
}

const char *
input_text(const struct req *r, size_t i)
{
	const struct input_value *v = input_get(r, i);

	return v != NULL ? v->text : "";
}

long long
input_int(const struct req *r, size_t i, long long dflt)
{
	const struct input_value *v = input_get(r, i);

	return v != NULL && v->present ? v->num : dflt;
}

int
input_bool(const struct req *r, size_t i, int dflt)
{
	const struct input_value *v = input_get(r, i);

	return v != NULL && v->present ? v->num != 0 : dflt;
}

json_t *
input_list(const struct req *r, size_t i)
{
	const struct input_value *v = input_get(r, i);

	return v != NULL && v->present ? v->list : NULL;
}
