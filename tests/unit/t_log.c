/*
 * t_log.c: log_value() keeps a client's text inside one logfmt field,
 * whatever it holds, and never overflows its buffer.
 */
#include "config.h"

#include <string.h>

#include "log.h"
#include "tap.h"

int
main(void)
{
	char	 b[LOG_VALUE_MAX], small[7];
	char	 big[600];

	is_str(log_value(b, sizeof(b), "ada@example.org"), "ada@example.org",
	    "a plain address is kept as it is");
	is_str(log_value(b, sizeof(b), "a addr=198.51.100.7"),
	    "a%20addr%3D198.51.100.7", "a space and '=' cannot plant a field");
	is_str(log_value(b, sizeof(b), "x\" level=error \\"),
	    "x%22%20level%3Derror%20%5C", "quotes and backslashes are escaped");
	is_str(log_value(b, sizeof(b), "a\nts=1\r\t\x7f"), "a%0Ats%3D1%0D%09%7F",
	    "control bytes are escaped");
	is_str(log_value(b, sizeof(b), "100%"), "100%25",
	    "a percent sign is escaped, so the escaping can be undone");
	is_str(log_value(b, sizeof(b), "\xc3\xa9t\xc3\xa9"), "\xc3\xa9t\xc3\xa9",
	    "UTF-8 letters are kept");
	is_str(log_value(b, sizeof(b), ""), "", "an empty value stays empty");
	is_str(log_value(small, sizeof(small), "abcd efgh"), "abcd",
	    "a value cut short never ends inside an escape");
	is_str(log_value(small, sizeof(small), "abcdefghij"), "abcdef",
	    "and never overflows");
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	log_value(b, sizeof(b), big);
	ok(strlen(b) < sizeof(b) && strspn(b, "%20") == strlen(b),
	    "a long hostile value fills at most the buffer");
	ok(strchr(log_value(b, sizeof(b), "a b=c \"d\""), ' ') == NULL &&
	    strchr(b, '=') == NULL && strchr(b, '"') == NULL,
	    "no value holds a separator");
	return tap_done();
}
