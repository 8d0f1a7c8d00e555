/*
 * routes.c: the route table.  For every URL: method, pattern, handler,
 * transaction mode and format.  The dispatcher enforces what is declared
 * here; handlers never re-check it.
 */
#include "config.h"

#include "handlers.h"
#include "router.h"
#include "util.h"

const struct route routes[] = {
	{ M_GET, "/",		home_get,	ROUTE_TX_RO, ACCESS_ANON },
	{ M_GET, "/healthz",	health_get,	ROUTE_TX_RO | ROUTE_API,
	  ACCESS_ANON },
};

const size_t nroutes = NELEM(routes);
