/* throttle.c: limits on password attempts and on mail for others. */
#include "config.h"

#include <stddef.h>

#include "app.h"
#include "auth_db.h"
#include "conf.h"
#include "db.h"
#include "log.h"
#include "outbox.h"
#include "req.h"
#include "throttle.h"

int
throttle_check(struct req *r, const char *email, int *wait)
{
	const struct conf	*c = r->conf;
	struct failures		 f;
	int			 rc, over, delay;

	*wait = 0;
	if ((rc = auth_db_failures(r, email, &f)) != 1)
		return rc;
	if (f.pair >= c->login_failures_account ||
	    f.address >= c->login_failures_address) {
		*wait = c->login_window;
		return 1;
	}
	if (f.account < c->login_failures_account || f.since < 0)
		return 1;
	over = f.account - c->login_failures_account;
	delay = over >= 6 ? THROTTLE_DELAY_MAX : 1 << over;
	if (delay > THROTTLE_DELAY_MAX)
		delay = THROTTLE_DELAY_MAX;
	if (f.since < delay)
		*wait = delay - (int)f.since;
	return 1;
}

int
throttle_failed(struct req *r, const char *email, const struct person *p)
{
	const struct conf	*c = r->conf;
	int			 n, rc;

	if ((rc = auth_db_failure_add(r, email, &n)) != 1)
		return rc;
	if (p == NULL || !p->confirmed || n < c->login_failures_account)
		return 1;
	if ((rc = auth_db_mail_cooldown(r, p->email, "login_failures",
	    c->login_window)) != 1)
		return rc == 0 ? 1 : rc;	/* mailed lately */
	logm(L_INFO, r->id, "auth event=login_failures_mailed person=%lld "
	    "failures=%d", p->id, n);
	return outbox_mail(r, p->email, "login_failures", req_pack(r,
	    "{s:s, s:i, s:i}", "name", p->name, "failures", n, "minutes",
	    c->login_window / 60));
}

int
throttle_passed(struct req *r, const char *email)
{
	return auth_db_failures_clear_addr(r, email);
}

int
throttle_confirm_mail(struct req *r, long long person, int resend)
{
	int	 n, rc;

	if (resend && (rc = auth_db_token_recent(r, person, "confirm")) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = auth_db_tokens_sent(r, person, "confirm", &n)) != 1)
		return rc;
	return n < CONFIRM_MAILS_PER_HOUR;
}

int
throttle_account_exists(struct req *r, const char *to)
{
	return auth_db_mail_cooldown(r, to, "account_exists",
	    COOLDOWN_ACCOUNT_EXISTS);
}
