/* fuzz_markdown.c: markdown_html() never crashes and emits no raw tags. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "markdown.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b;

	buf_init(&b);
	if (markdown_html((const char *)data, size, &b) && b.data != NULL) {
		/* Raw HTML is omitted: no script element can come out. */
		if (strstr(b.data, "<script") != NULL)
			__builtin_trap();
	}
	buf_free(&b);
	return 0;
}
