/*
 * sha256.h: SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), for
 * hashing session and e-mail tokens before they are stored and for
 * deriving CSRF tokens.  Not for passwords: those use scrypt.
 */
#ifndef SHA256_H
#define SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_LEN	32

struct sha256 {
	uint32_t	 h[8];
	uint64_t	 len;		/* bytes hashed so far */
	unsigned char	 buf[64];
	size_t		 nbuf;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char out[SHA256_LEN]);

/* One-shot digest of p (n bytes). */
void	sha256(const void *p, size_t n, unsigned char out[SHA256_LEN]);

/* HMAC-SHA-256 of msg under key. */
void	hmac_sha256(const void *key, size_t keylen, const void *msg,
	    size_t msglen, unsigned char out[SHA256_LEN]);

#endif
