/*
 * password.h: password hashing with scrypt (libscrypt), at parameters
 * that meet OWASP ASVS 5.0 appendix C: N = 2^16, r = 8, p = 2 (the
 * variant with half the memory of N = 2^17, p = 1 for the same work:
 * 64 MiB per hash, which matters when several run at once).
 *
 * Hashes are stored in libscrypt's modular crypt format
 * "$s1$NNrrpp$salt$hash" (N as log2, all hex).  Passwords are byte
 * strings that may not contain NUL (libscrypt measures them with strlen)
 * and are never truncated.
 */
#ifndef PASSWORD_H
#define PASSWORD_H

#include <stddef.h>

#define PASSWORD_LOG2N		16
#define PASSWORD_R		8
#define PASSWORD_P		2
#define PASSWORD_MAX_BYTES	1024
#define PASSWORD_HASH_SIZE	128	/* SCRYPT_MCF_LEN */

/*
 * Hash the len bytes of pw with a fresh salt into out.  Returns 1; 0 when
 * pw holds a NUL byte or is longer than PASSWORD_MAX_BYTES; -1 when
 * hashing failed (logged).
 */
int	password_hash(const char *pw, size_t len, char out[PASSWORD_HASH_SIZE]);

/*
 * Check pw against a stored hash (which is not modified: libscrypt's
 * check overwrites its argument, so a copy is checked).  Returns 1 on a
 * match, 0 otherwise, -1 when the stored hash is malformed.
 */
int	password_verify(const char *stored, const char *pw, size_t len);

/*
 * Was stored made with weaker parameters than the current ones?  1 yes
 * (hash the password again at the next successful login), 0 no, -1 when
 * the stored hash is malformed.
 */
int	password_needs_upgrade(const char *stored);

#endif
