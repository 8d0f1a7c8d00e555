/* t_token.c: SHA-256 and HMAC against published vectors; tokens. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "tap.h"
#include "token.h"

static const char *
hex(const unsigned char *d, size_t n)
{
	static char	 out[2 * 64 + 1];
	size_t		 i;

	for (i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
	return out;
}

int
main(void)
{
	unsigned char	 d[DIGEST_SHA256_LEN], key[131], *big;
	char		 tok[TOKEN_LEN + 1], tok2[TOKEN_LEN + 1];
	char		 h[TOKEN_HEXLEN + 1], b64[16];

	/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf"). */
	digest_sha256("abc", 3, d);
	is_str(hex(d, 32), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "SHA-256(\"abc\")");
	digest_sha256("", 0, d);
	is_str(hex(d, 32), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "SHA-256 of nothing");
	digest_sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	is_str(hex(d, 32), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", "SHA-256 of 56 bytes (two blocks of padding)");
	big = malloc(1000000);
	memset(big, 'a', 1000000);
	digest_sha256(big, 1000000, d);
	free(big);
	is_str(hex(d, 32), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "SHA-256 of a million 'a'");

	/* RFC 4231 test cases 1, 2, 3 and 6. */
	memset(key, 0x0b, 20);
	digest_hmac_sha256(key, 20, "Hi There", 8, d);
	is_str(hex(d, 32), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", "HMAC-SHA-256 RFC 4231 case 1");
	digest_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, d);
	is_str(hex(d, 32), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", "RFC 4231 case 2");
	memset(key, 0xaa, 20);
	memset(big = malloc(50), 0xdd, 50);
	digest_hmac_sha256(key, 20, big, 50, d);
	free(big);
	is_str(hex(d, 32), "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", "RFC 4231 case 3");
	memset(key, 0xaa, sizeof(key));
	digest_hmac_sha256(key, 131, "Test Using Larger Than Block-Size Key - Hash Key First", 54, d);
	is_str(hex(d, 32), "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", "RFC 4231 case 6 (key longer than a block)");

	ok(digest_equal("abcd", "abcd", 4) && !digest_equal("abcd", "abce", 4) &&
	    !digest_equal("\x80" "bcd", "abcd", 4) && digest_equal("", "", 0),
	    "digest_equal");

	/* RFC 4648 section 10, in the URL alphabet without padding. */
	base64url((const unsigned char *)"foob", 4, b64);
	is_str(b64, "Zm9vYg", "base64url of \"foob\"");
	base64url((const unsigned char *)"fooba", 5, b64);
	is_str(b64, "Zm9vYmE", "base64url of \"fooba\"");
	base64url((const unsigned char *)"\xfb\xff", 2, b64);
	is_str(b64, "-_8", "the URL alphabet");

	token_new(tok);
	token_new(tok2);
	ok(strlen(tok) == TOKEN_LEN && token_valid(tok), "a new token has 43 base64url characters");
	ok(strcmp(tok, tok2) != 0, "two tokens differ");
	ok(!token_valid(NULL) && !token_valid("") && !token_valid("abc"), "short tokens are refused");
	tok2[10] = '+';
	ok(!token_valid(tok2), "a character outside base64url is refused");
	ok(!token_valid("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), "44 characters are refused");
	token_hash_hex("abc", h);
	is_str(h, "\\xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "the stored form is a bytea literal of the SHA-256");
	ok(token_equal("abc", "abc") && !token_equal("abc", "abd") && !token_equal("abc", "abcd"), "token_equal");
	return tap_done();
}
