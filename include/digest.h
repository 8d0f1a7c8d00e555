/*
 * digest.h: SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104) from
 * OpenSSL's libcrypto (already in the process through libpq and
 * libcurl), for hashing session and e-mail tokens before they are stored
 * and for deriving CSRF tokens.  Not for passwords: those use scrypt.
 *
 * A digest that libcrypto cannot compute (no provider, no memory) ends
 * the process: a caller could only go on with a digest that is wrong.
 */
#ifndef DIGEST_H
#define DIGEST_H

#include <stddef.h>

#define DIGEST_SHA256_LEN	32

/* SHA-256 of p (n bytes). */
void	digest_sha256(const void *p, size_t n,
	    unsigned char out[DIGEST_SHA256_LEN]);

/* HMAC-SHA-256 of msg under key. */
void	digest_hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char out[DIGEST_SHA256_LEN]);

/* Whether the n bytes at a and b are equal, in time independent of where
 * they differ. */
int	digest_equal(const void *a, const void *b, size_t n);

#endif
