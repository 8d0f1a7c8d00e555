/* home.c: the front page. */
#include "config.h"

#include "handlers.h"
#include "req.h"

int
home_get(struct req *r)
{
	return req_view(r, 200, "home", NULL);
}
