/*
 * digest.c: SHA-256, HMAC-SHA-256 and constant-time compare from libcrypto.
 *
 * SHA-256 is fetched from the provider once per process and kept: with
 * OpenSSL 3, EVP_sha256() and EVP_Q_mac() look the algorithm up in the
 * provider's tables at every call, which cost more than hashing the 43
 * bytes of a session token.  HMAC is written out from its definition
 * (RFC 2104, section 2) over that digest.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "digest.h"

#define BLOCK	64	/* SHA-256's block, in bytes */

static void
digest_die(const char *what)
{
	fprintf(stderr, "chapterhouse: libcrypto: %s failed\n", what);
	abort();
}

/* SHA-256, fetched at the first use and kept for the process's life. */
static EVP_MD *
digest_md(void)
{
	static EVP_MD	*md;

	if (md == NULL && (md = EVP_MD_fetch(NULL, "SHA256", NULL)) == NULL)
		digest_die("fetching SHA-256");
	return md;
}

/* Start ctx on SHA-256 over the n bytes at p. */
static void
digest_start(EVP_MD_CTX *ctx, const void *p, size_t n)
{
	if (EVP_DigestInit_ex(ctx, digest_md(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, p, n) != 1)
		digest_die("SHA-256");
}

static void
digest_end(EVP_MD_CTX *ctx, unsigned char out[DIGEST_SHA256_LEN])
{
	unsigned int	 len = 0;

	if (EVP_DigestFinal_ex(ctx, out, &len) != 1 ||
	    len != DIGEST_SHA256_LEN)
		digest_die("SHA-256");
}

void
digest_sha256(const void *p, size_t n, unsigned char out[DIGEST_SHA256_LEN])
{
	EVP_MD_CTX	*ctx;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		digest_die("SHA-256");
	digest_start(ctx, p, n);
	digest_end(ctx, out);
	EVP_MD_CTX_free(ctx);
}

/* H((K ^ opad) || H((K ^ ipad) || msg)), K padded to the block. */
void
digest_hmac_sha256(const void *key, size_t keylen, const void *msg,
    size_t msglen, unsigned char out[DIGEST_SHA256_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned char	 k[BLOCK], pad[BLOCK], inner[DIGEST_SHA256_LEN];
	size_t		 i;

	memset(k, 0, sizeof(k));
	if (keylen > BLOCK)
		digest_sha256(key, keylen, k);
	else if (keylen > 0)
		memcpy(k, key, keylen);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		digest_die("HMAC-SHA-256");
	for (i = 0; i < BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	digest_start(ctx, pad, BLOCK);
	if (EVP_DigestUpdate(ctx, msg, msglen) != 1)
		digest_die("HMAC-SHA-256");
	digest_end(ctx, inner);
	for (i = 0; i < BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	digest_start(ctx, pad, BLOCK);
	if (EVP_DigestUpdate(ctx, inner, sizeof(inner)) != 1)
		digest_die("HMAC-SHA-256");
	digest_end(ctx, out);
	EVP_MD_CTX_free(ctx);
	OPENSSL_cleanse(k, sizeof(k));
	OPENSSL_cleanse(pad, sizeof(pad));
	OPENSSL_cleanse(inner, sizeof(inner));
}

int
digest_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}
