/* t_keep.c: answers kept in memory: get, replace, bounds, eviction, drops. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "keep.h"
#include "tap.h"

static int
put(struct keep *k, const char *key, const char *body, size_t aux)
{
	return keep_put(k, key, "t1", 42, aux, "Status: ", 8, "200 OK", 6,
	    body, strlen(body));
}

static int
has(struct keep *k, const char *key)
{
	struct kept	 p;

	return keep_get(k, key, &p);
}

static int
odd_aux(const char *key, size_t aux, void *arg)
{
	(void)key;
	(void)arg;
	return aux % 2 == 1;
}

static void
test_get_put(void)
{
	struct keep	*k = keep_new(4, 1000);
	struct kept	 p;

	ok(!keep_get(k, "a", &p), "an empty store keeps nothing");
	ok(put(k, "a", "body a", 0), "an answer is kept");
	ok(keep_get(k, "a", &p), "and found under its key");
	is_int((long long)p.head_len, 14, "its head is both parts");
	ok(memcmp(p.head, "Status: 200 OK", 14) == 0, "in order");
	ok(p.body_len == 6 && memcmp(p.body, "body a", 6) == 0, "its body");
	is_str(p.tag, "t1", "its tag");
	is_int(p.when, 42, "its instant");
	ok(!keep_get(k, "b", &p), "another key finds nothing");
	ok(!keep_get(k, "", &p), "nor does the empty key");
	keep_put(k, "a", NULL, 7, 0, "H", 1, NULL, 0, "new", 3);
	ok(keep_get(k, "a", &p) && p.body_len == 3 &&
	    memcmp(p.body, "new", 3) == 0, "a second put replaces");
	is_str(p.tag, "", "a NULL tag reads as empty");
	is_int((long long)keep_count(k), 1, "one answer kept, not two");
	is_int((long long)keep_bytes(k), 4, "its bytes counted once");
	keep_drop(k, "a");
	ok(!has(k, "a"), "a dropped answer is gone");
	is_int((long long)keep_bytes(k), 0, "its bytes with it");
	keep_free(k);
}

static void
test_bounds(void)
{
	struct keep	*k = keep_new(3, 800);
	char		 big[200];

	put(k, "a", "1", 0);
	put(k, "b", "2", 0);
	put(k, "c", "3", 0);
	ok(has(k, "a"), "a used again");	/* b is now the oldest use */
	put(k, "d", "4", 0);
	ok(!has(k, "b"), "the least recently used goes when full");
	ok(has(k, "a") && has(k, "c") && has(k, "d"), "the others stay");
	is_int((long long)keep_count(k), 3, "never more than its answers");
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	ok(!put(k, "e", big, 0), "an answer above an eighth of the bytes is "
	    "not kept");
	ok(!has(k, "e"), "and not found");
	ok(has(k, "a"), "nothing else dropped for it");
	put(k, "a", big, 0);
	ok(!has(k, "a"), "an answer grown too large drops the old one");
	keep_free(k);

	k = keep_new(8, 8 * 30);
	put(k, "a", "0123456789012345", 0);	/* 30 bytes each */
	put(k, "b", "0123456789012345", 0);
	put(k, "c", "0123456789012345", 0);
	put(k, "d", "0123456789012345", 0);
	put(k, "e", "0123456789012345", 0);
	put(k, "f", "0123456789012345", 0);
	put(k, "g", "0123456789012345", 0);
	put(k, "h", "0123456789012345", 0);
	put(k, "i", "0123456789012345", 0);
	ok(keep_bytes(k) <= 8 * 30, "the bytes stay within the bound (%zu)",
	    keep_bytes(k));
	ok(!has(k, "a") && has(k, "i"), "the oldest went for the newest");
	keep_free(k);
}

static void
test_drop_if(void)
{
	struct keep	*k = keep_new(8, 1000);

	put(k, "a", "1", 1);
	put(k, "b", "2", 2);
	put(k, "c", "3", 3);
	keep_drop_if(k, odd_aux, NULL);
	ok(!has(k, "a") && !has(k, "c"), "the answers chosen are dropped");
	ok(has(k, "b"), "the others stay");
	keep_clear(k);
	ok(!has(k, "b") && keep_count(k) == 0 && keep_bytes(k) == 0,
	    "clear drops everything");
	keep_free(k);
	keep_free(NULL);
	ok(1, "freeing nothing is allowed");
}

int
main(void)
{
	test_get_put();
	test_bounds();
	test_drop_if();
	return tap_done();
}
