/* fuzz_password.c: stored-hash parsing never crashes on any string. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "password.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	*s = malloc(size + 1);
	int	 rc;

	memcpy(s, data, size);
	s[size] = '\0';
	rc = password_needs_upgrade(s);
	if (rc < -1 || rc > 1)
		__builtin_trap();
	free(s);
	return 0;
}
