/*
 * health.c: GET /healthz for load balancers and monitoring.  It answers
 * 503 while PostgreSQL cannot be reached, so a balancer takes the server
 * out of rotation, and is never cached.
 */
#include "config.h"

#include <jansson.h>

#include "handlers.h"
#include "health_db.h"
#include "req.h"

int
health_get(struct req *r)
{
	int	 ok = health_db_ping(r) == 1;

	r->resp.no_store = 1;
	return req_view(r, ok ? 200 : 503, NULL,
	    req_pack(r, "{s:s, s:s, s:s}", "status", ok ? "ok" : "error",
	    "db", ok ? "ok" : "down", "version", PACKAGE_VERSION));
}
