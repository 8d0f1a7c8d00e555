/* form.c: passwords hashed and checked within the hash cap. */
#include "config.h"

#include <string.h>

#include "app.h"
#include "arena.h"
#include "conf.h"
#include "form.h"
#include "hashcap.h"
#include "log.h"
#include "password.h"
#include "req.h"
#include "resp.h"

/* A hash of a password nobody knows, at the current parameters. */
#define DECOY	"$s1$100802$I6FrdbQolqv927jXqQFebw==$LS/Sl0uwP1C2nhMFywJi3ST" \
		"KGh+U+OtNzX0RJ9cWpHkukOHVuJpa9hP6dfCif2HwCW+r/gEcc" \
		"ObPrAkXyO1rUA=="

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

	if ((slot = hashcap_acquire(r->app->hashcap,
	    r->conf->max_hashes)) < 0) {
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

	if ((slot = hashcap_acquire(r->app->hashcap,
	    r->conf->max_hashes)) < 0) {
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
