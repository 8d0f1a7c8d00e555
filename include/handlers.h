/*
 * handlers.h: every request handler.  A handler returns the HTTP status
 * and leaves a view (or an error) in r->resp; it never writes output.
 */
#ifndef HANDLERS_H
#define HANDLERS_H

#include <stddef.h>

#include "router.h"

struct req;

/* The route table: the one place that says what each URL does. */
extern const struct route	 routes[];
extern const size_t		 nroutes;

/* GET /healthz: 200 {"status":"ok","db":"ok",...} or 503 "db":"down". */
int	health_get(struct req *);

/* GET /: the front page. */
int	home_get(struct req *);

#endif
