/* digest.c: SHA-256, HMAC-SHA-256 and constant-time compare from libcrypto. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "digest.h"

static void
digest_die(const char *what)
{
	fprintf(stderr, "chapterhouse: libcrypto: %s failed\n", what);
	abort();
}

void
digest_sha256(const void *p, size_t n, unsigned char out[DIGEST_SHA256_LEN])
{
	unsigned int	 len = 0;

	if (EVP_Digest(p, n, out, &len, EVP_sha256(), NULL) != 1 ||
	    len != DIGEST_SHA256_LEN)
		digest_die("SHA-256");
}

void
digest_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[DIGEST_SHA256_LEN])
{
	size_t	 len = 0;

	if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key, keylen, msg,
	    msglen, out, DIGEST_SHA256_LEN, &len) == NULL ||
	    len != DIGEST_SHA256_LEN)
		digest_die("HMAC-SHA-256");
}

int
digest_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
