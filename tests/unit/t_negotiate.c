/* t_negotiate.c: HTML or JSON from the Accept header (RFC 9110 12.5.1). */
#include "config.h"

#include "req.h"
#include "tap.h"

#define HTML(s, ...)	is_int(fmt_negotiate(s), FMT_HTML, __VA_ARGS__)
#define JSON(s, ...)	is_int(fmt_negotiate(s), FMT_JSON, __VA_ARGS__)

int
main(void)
{
	HTML(NULL, "a missing header means HTML");
	HTML("", "an empty header means HTML");
	HTML("   ", "a blank header means HTML");
	HTML(",,,", "only commas means HTML");

	JSON("application/json", "application/json alone");
	HTML("text/html", "text/html alone");
	JSON("APPLICATION/JSON", "media types are case-insensitive");
	JSON("application/json; charset=utf-8", "parameters other than q "
	    "are ignored");
	HTML("*/*", "*/* ranks both alike: HTML");
	HTML("application/json, text/html", "a tie goes to HTML");
	HTML("text/html, application/json", "in either order");
	HTML("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
	    "a browser's Accept header means HTML");
	HTML("application/json, text/plain, */*", "json and a */* at the "
	    "same q tie: HTML");
	JSON("application/json, */*;q=0.8", "json above the wildcard");

	JSON("text/html;q=0.5, application/json", "q-values decide");
	JSON("application/json;q=0.9, text/html;q=0.8", "0.9 beats 0.8");
	HTML("application/json;q=0.8, text/html;q=0.9", "0.8 loses to 0.9");
	HTML("application/json;q=0.5, text/html;q=0.5", "equal q-values go "
	    "to HTML");
	JSON("application/json;q=0.501, text/html;q=0.5", "three decimals "
	    "count");
	HTML("application/json;q=0.5001, text/html;q=0.5", "a fourth "
	    "decimal does not");
	JSON("application/json;Q=0.9, text/html;q=0.1", "Q is case-insensitive");
	JSON(" application/json ; q=0.9 ,\ttext/html ; q=0.1 ",
	    "whitespace around types and parameters");
	JSON("text/html;level=1;q=0.2, application/json;foo=bar;q=0.3",
	    "q after other parameters");
	HTML("application/json;q=0", "q=0 means not acceptable (RFC 9110 "
	    "section 12.4.2)");
	HTML("application/json;q=0.000", "q=0.000 too");
	HTML("application/json;q=0, text/html;q=0", "both refused: HTML");
	HTML("application/json;q=oops, text/html;q=0.1", "a malformed q "
	    "counts as 0");
	JSON("application/json;q=1.0, text/html;q=0.999", "q=1.0 is the "
	    "highest");
	HTML("application/json;q=2, text/html;q=0.1", "q above 1 is "
	    "malformed");
	JSON("application/json;q=1.5, text/html;q=0.1", "1.5 is read no "
	    "higher than 1");

	JSON("application/*", "application/* means JSON");
	JSON("application/*;q=0.5, text/*;q=0.4", "type wildcards by q");
	HTML("text/*", "text/* means HTML");
	JSON("text/html;q=0.1, */*", "*/* gives JSON 1 against an explicit "
	    "HTML 0.1");
	HTML("application/json;q=0.1, */*", "and the other way round");
	HTML("*/*;q=0.9, application/json;q=0.2", "the most specific range "
	    "wins, not the highest q");
	JSON("application/*;q=0.1, application/json;q=0.8, */*;q=0.5",
	    "a specific type beats its wildcard regardless of order");
	HTML("application/jsonx, text/html;q=0.1", "a longer subtype is not "
	    "json");
	HTML("application/js, text/html;q=0.1", "a shorter subtype is not "
	    "json");
	HTML("application/json+x;q=1", "neither is json+x");
	HTML("xapplication/json", "a longer type is not application");
	HTML("application", "a type without subtype is ignored");
	HTML(";q=1, /", "junk is ignored");
	JSON("junk;;;, application/json", "junk before a valid range is "
	    "skipped");
	HTML("application/json;q=", "an empty q is 0");
	JSON("application/json;q", "a parameter q without '=' is not a "
	    "q-value");
	is_int(fmt_wants_csv("text/csv"), 1, "text/csv alone asks for CSV");
	is_int(fmt_wants_csv("text/csv, application/json;q=0.5"), 1,
	    "CSV above JSON");
	is_int(fmt_wants_csv("application/json, text/csv"), 0,
	    "a tie with JSON is no CSV");
	is_int(fmt_wants_csv("*/*"), 0, "a wildcard asks for no CSV");
	is_int(fmt_wants_csv("text/html,application/xhtml+xml,"
	    "application/xml;q=0.9,*/*;q=0.8"), 0,
	    "a browser's Accept header asks for no CSV");
	is_int(fmt_wants_csv("text/csv;q=0"), 0, "q=0 refuses CSV");
	is_int(fmt_wants_csv(NULL), 0, "no header, no CSV");
	return tap_done();
}
