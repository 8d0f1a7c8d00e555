/*
 * throttle.h: how often a password may be tried (login and the
 * password-change form) and how often mail that anyone can trigger for
 * someone else's address goes out.
 *
 * Password attempts are refused, before any hash is computed, when the
 * account has failed login_failures_account times from this client
 * address within login_window, or the address has failed
 * login_failures_address times on any account.  Beyond that, once the
 * account has failed login_failures_account times from anywhere, an
 * address that failed on it must wait 1, 2, 4 ... (at most
 * THROTTLE_DELAY_MAX) seconds after its own last failure, the delay
 * doubling with each failure of the account.  An address that has not
 * failed on the account is never held back: its owner always gets in
 * with the right password.  No request sleeps; a refusal says how long
 * to wait.
 *
 * Functions run within the request's transaction and follow db.h:
 * 1 done, 0 a negative outcome, -1 failed (db_failure() tells how).
 */
#ifndef THROTTLE_H
#define THROTTLE_H

struct person;
struct req;

#define THROTTLE_DELAY_MAX	60	/* seconds */
#define CONFIRM_MAILS_PER_HOUR	3	/* to one unconfirmed account */
#define COOLDOWN_ACCOUNT_EXISTS	3600	/* seconds between such mails */

/* 1 checked: *wait is 0 (go on) or the seconds to refuse with. */
int	throttle_check(struct req *, const char *email, int *wait);

/*
 * Record a wrong password for email from the request's address.  When
 * the account p (NULL: none) is confirmed and has now failed
 * login_failures_account times in the window, its owner is mailed,
 * at most once a window.
 */
int	throttle_failed(struct req *, const char *email,
	    const struct person *p);

/* The right password: forget this address's failures on the account. */
int	throttle_passed(struct req *, const char *email);

/*
 * May a confirmation link go to the unconfirmed person now?  1 yes, 0 no:
 * fewer than CONFIRM_MAILS_PER_HOUR went out in the last hour and, when
 * resend (the same sign-up asking again), none in the last five minutes.
 */
int	throttle_confirm_mail(struct req *, long long person, int resend);

/* May an "account exists" mail go to this address now (recorded)? */
int	throttle_account_exists(struct req *, const char *to);

#endif
