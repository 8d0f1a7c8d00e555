/*
 * token.h: the random secrets handed to people (session cookies, links
 * sent by e-mail) and what is stored of them.
 *
 * A token is 32 bytes from getrandom() written as 43 characters of
 * unpadded base64url (RFC 4648 section 5).  Only its SHA-256 is stored;
 * the database is handed the digest as a bytea literal ("\x" + hex).
 */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>

#define TOKEN_BYTES	32
#define TOKEN_LEN	43		/* base64url characters */
#define TOKEN_HEXLEN	(2 + 2 * 32)	/* "\x" and 64 hex digits */

/* A new token in out (TOKEN_LEN + 1 bytes, NUL-terminated). */
void	token_new(char out[TOKEN_LEN + 1]);

/* Whether s has the shape of a token: 43 base64url characters. */
int	token_valid(const char *s);

/* The stored form of a token: "\x" and the hex SHA-256 of s. */
void	token_hash_hex(const char *s, char out[TOKEN_HEXLEN + 1]);

/* base64url of n bytes (no padding) into out, which holds 4n/3 + 2. */
void	base64url(const unsigned char *p, size_t n, char *out);

/* Compare a and b in time independent of where they differ. */
int	token_equal(const char *a, const char *b);

#endif
