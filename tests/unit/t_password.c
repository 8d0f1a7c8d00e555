/* t_password.c: scrypt hashing, checking, upgrades, the libscrypt traps. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <libscrypt.h>

#include "password.h"
#include "tap.h"

int
main(void)
{
	char		 h[PASSWORD_HASH_SIZE], h2[PASSWORD_HASH_SIZE], saved[256];
	char		 weak[SCRYPT_MCF_LEN], long1[200], long2[200];
	struct timespec	 t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	is_int(password_hash("correct horse battery", 21, h), 1, "hashes");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# one hash took %.0f ms\n", (t1.tv_sec - t0.tv_sec) * 1e3 +
	    (t1.tv_nsec - t0.tv_nsec) / 1e6);
	ok(strncmp(h, "$s1$100802$", 11) == 0, "at N=2^16, r=8, p=2: %.11s",
	    h);
	snprintf(saved, sizeof(saved), "%s", h);
	is_int(password_verify(h, "correct horse battery", 21), 1,
	    "the right password matches");
	is_str(h, saved, "checking leaves the stored hash intact");
	is_int(password_verify(h, "correct horse battery", 21), 1,
	    "so it can be checked again");
	is_int(password_verify(h, "correct horse batterz", 21), 0,
	    "a wrong password does not");
	is_int(password_verify(h, "correct horse battery", 20), 0,
	    "nor a prefix of the right one");
	is_int(password_hash("correct horse battery", 21, h2), 1, "hashes again");
	ok(strcmp(h, h2) != 0, "with a fresh salt each time");

	is_int(password_hash("abc\0def", 7, h2), 0, "a NUL byte is refused");
	is_int(password_verify(h, "correct horse battery\0x", 23), 0,
	    "and never matches by truncation");

	memset(long1, 'a', sizeof(long1) - 1);
	long1[sizeof(long1) - 1] = '\0';
	memcpy(long2, long1, sizeof(long1));
	long2[150] = 'b';
	is_int(password_hash(long1, 199, h2), 1, "a 199-byte password hashes");
	is_int(password_verify(h2, long2, 199), 0, "a difference at byte 150 "
	    "counts: nothing is truncated");
	is_int(password_verify(h2, long1, 199), 1, "the whole one matches");

	is_int(password_needs_upgrade(h), 0, "a current hash needs no upgrade");
	ok(libscrypt_hash(weak, "correct horse battery", SCRYPT_N, SCRYPT_r,
	    SCRYPT_p) > 0, "libscrypt's own defaults hash: %.11s", weak);
	is_int(password_needs_upgrade(weak), 1, "libscrypt's defaults (N=2^14, "
	    "p=16) are weaker: upgrade");
	is_int(password_verify(weak, "correct horse battery", 21), 1,
	    "but still verify");
	is_int(password_needs_upgrade("$s1$110801$c2FsdA==$aGFzaA=="), 0,
	    "N=2^17, p=1 is as strong");
	is_int(password_needs_upgrade("$s1$100402$c2FsdA==$aGFzaA=="), 1,
	    "r=4 is weaker");
	is_int(password_needs_upgrade("plain"), -1, "a malformed hash is -1");
	is_int(password_verify("plain", "x", 1), -1, "and cannot be checked");
	is_int(password_verify("$s1$3f0801$c2FsdA==$aGFzaA==", "x", 1), -1,
	    "an absurd work factor is refused, not computed");
	return tap_done();
}
