/* home.c: the front page. */
#include "config.h"

#include <jansson.h>

#include "conf.h"
#include "handlers.h"
#include "req.h"

int
home_get(struct req *r)
{
	return req_view(r, 200, "home", json_pack("{s:s, s:s}", "site_name",
	    r->conf->site_name, "version", PACKAGE_VERSION));
}
