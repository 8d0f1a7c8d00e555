/* token.c: random tokens, their stored digest, constant-time compare. */
#include "config.h"

#include <string.h>

#include "digest.h"
#include "token.h"
#include "util.h"

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

void
base64url(const unsigned char *p, size_t n, char *out)
{
	size_t		 i;
	unsigned	 v;

	for (i = 0; i + 2 < n; i += 3) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
		*out++ = b64url[v >> 18 & 63];
		*out++ = b64url[v >> 12 & 63];
		*out++ = b64url[v >> 6 & 63];
		*out++ = b64url[v & 63];
	}
	if (n - i == 1) {
		v = (unsigned)p[i] << 16;
		*out++ = b64url[v >> 18 & 63];
		*out++ = b64url[v >> 12 & 63];
	} else if (n - i == 2) {
		v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8;
		*out++ = b64url[v >> 18 & 63];
		*out++ = b64url[v >> 12 & 63];
		*out++ = b64url[v >> 6 & 63];
	}
	*out = '\0';
}

void
token_new(char out[TOKEN_LEN + 1])
{
	unsigned char	 raw[TOKEN_BYTES];

	random_bytes(raw, sizeof(raw));
	base64url(raw, sizeof(raw), out);
	memset(raw, 0, sizeof(raw));
}

int
token_valid(const char *s)
{
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++)
		if (i >= TOKEN_LEN || strchr(b64url, s[i]) == NULL)
			return 0;
	return i == TOKEN_LEN;
}

void
token_hash_hex(const char *s, char out[TOKEN_HEXLEN + 1])
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 d[DIGEST_SHA256_LEN];
	size_t			 i;

	digest_sha256(s, strlen(s), d);
	out[0] = '\\';
	out[1] = 'x';
	for (i = 0; i < DIGEST_SHA256_LEN; i++) {
		out[2 + 2 * i] = hex[d[i] >> 4];
		out[3 + 2 * i] = hex[d[i] & 15];
	}
	out[TOKEN_HEXLEN] = '\0';
}

int
token_equal(const char *a, const char *b)
{
	size_t	 n = strlen(a);

	/* The length is no secret: every token has TOKEN_LEN characters. */
	return n == strlen(b) && digest_equal(a, b, n);
}
