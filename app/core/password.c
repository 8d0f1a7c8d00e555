/*
 * password.c: scrypt password hashes through libscrypt, with its two
 * traps avoided: libscrypt_check() overwrites the hash it is given (it
 * gets a copy), and passwords are measured with strlen() (NUL refused).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libscrypt.h>

#include "log.h"
#include "password.h"

/* Parse "$s1$NNrrpp$" into log2(N), r, p; 1 or 0. */
static int
params(const char *mcf, unsigned *log2n, unsigned *r, unsigned *p)
{
	char		 hex[3] = { 0, 0, 0 }, *end;
	unsigned	 v[3];
	int		 i;

	if (strncmp(mcf, "$s1$", 4) != 0 || strlen(mcf) < 11 || mcf[10] != '$')
		return 0;
	for (i = 0; i < 3; i++) {
		hex[0] = mcf[4 + 2 * i];
		hex[1] = mcf[5 + 2 * i];
		v[i] = (unsigned)strtoul(hex, &end, 16);
		if (*end != '\0')
			return 0;
	}
	*log2n = v[0];
	*r = v[1];
	*p = v[2];
	return *log2n >= 1 && *log2n < 64 && *r >= 1 && *p >= 1;
}

int
password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_SIZE])
{
	char	 buf[PASSWORD_MAX_BYTES + 1];

	if (len > PASSWORD_MAX_BYTES || memchr(pw, '\0', len) != NULL)
		return 0;
	memcpy(buf, pw, len);
	buf[len] = '\0';
	if (libscrypt_hash(out, buf, 1U << PASSWORD_LOG2N, PASSWORD_R,
	    PASSWORD_P) <= 0) {
		log_error("could not hash a password (scrypt failed)");
		explicit_bzero(buf, sizeof(buf));
		return -1;
	}
	explicit_bzero(buf, sizeof(buf));
	return 1;
}

int
password_verify(const char *stored, const char *pw, size_t len)
{
	char		 copy[PASSWORD_HASH_SIZE], buf[PASSWORD_MAX_BYTES + 1];
	unsigned	 n, r, p;
	int		 rc;

	if (strlen(stored) >= sizeof(copy) || !params(stored, &n, &r, &p) ||
	    n > 24 || r > 32 || p > 16)
		return -1;	/* also refuses absurd work factors */
	if (len > PASSWORD_MAX_BYTES || memchr(pw, '\0', len) != NULL)
		return 0;
	memcpy(copy, stored, strlen(stored) + 1);
	memcpy(buf, pw, len);
	buf[len] = '\0';
	rc = libscrypt_check(copy, buf);
	explicit_bzero(buf, sizeof(buf));
	return rc > 0 ? 1 : rc == 0 ? 0 : -1;
}

int
password_needs_upgrade(const char *stored)
{
	unsigned	 n, r, p;

	if (!params(stored, &n, &r, &p))
		return -1;
	/*
	 * Weaker: less memory (N or r below ours; libscrypt's defaults have
	 * N = 2^14) or less work (N * r * p).
	 */
	return n < PASSWORD_LOG2N || r < PASSWORD_R ||
	    ((uint64_t)1 << n) * r * p <
	    ((uint64_t)1 << PASSWORD_LOG2N) * PASSWORD_R * PASSWORD_P;
}
