/* t_pwpolicy.c: the password policy against cracklib's dictionary. */
#include "config.h"

#include <string.h>

#include "pwpolicy.h"
#include "tap.h"

static void
refused(const char *pw, const char *why)
{
	const char	*m = pwpolicy_check(pw, "ada.lovelace@example.org", "Ada Lovelace");

	ok(m != NULL, "refused: %s (%s)", pw, m ? m : "accepted");
	if (m != NULL && why != NULL && strstr(m, why) == NULL)
		ok(0, "the reason mentions \"%s\": %s", why, m);
}

static void
accepted(const char *pw)
{
	const char	*m = pwpolicy_check(pw, "ada.lovelace@example.org", "Ada Lovelace");

	ok(m == NULL, "accepted: %.60s%s", pw, m ? m : "");
}

int
main(void)
{
	char	 err[256], big[PWPOLICY_MAX + 2];

	if (!pwpolicy_ready(err, sizeof(err))) {
		printf("1..0 # SKIP %s\n", err);
		return 0;
	}
	refused("short", "12 characters");
	refused("elevenchars", "12 characters");
	refused("password1234", "common");
	refused("Password1234!", "common");
	refused("P@ssw0rd2024!", "common");
	refused("passwordpassword", "common");
	refused("iloveyou12345", "common");
	refused("aaaaaaaaaaaaaaaa", NULL);
	refused("123456789012", NULL);
	refused("lovelace is cool 1", "e-mail address");
	ok(pwpolicy_check("brunhilde rocks 77", "x@example.org", "Brunhilde Smith") != NULL,
	    "a word of the name is refused");
	refused("my ada.lovelace 42!", NULL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	refused(big, "1024 bytes");
	ok(pwpolicy_check("ééééééééééé", NULL, NULL) != NULL, "11 two-byte characters are too short (characters, not bytes)");
	accepted("correct horse battery staple");
	accepted("chapterhouse-demo");
	accepted("copper kettle lantern 42");
	accepted("Zürich Brücke Käse 7");
	accepted("amber0 birch1 cobalt2 delta3 ember4 fjord5 garnet6 harbor7 indigo8 juniper9 kelp10 lumen11 mango12 nectar13 onyx14 pewter15");
	return tap_done();
}
