/* t_arena.c: the request arena: alignment, growth, reset, cleanups. */
#include "config.h"

#include <sys/types.h>
#include <sys/wait.h>

#include <fcntl.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "tap.h"

static int	order[8];
static int	norder;

static void
record(void *arg)
{
	if (norder < (int)(sizeof(order) / sizeof(order[0])))
		order[norder] = *(int *)arg;
	norder++;
}

static int
aligned(const void *p)
{
	return (uintptr_t)p % alignof(max_align_t) == 0;
}

static void
test_alloc(void)
{
	struct arena	*a = arena_new(0);
	char		*p, *q, *big;
	size_t		 i;
	int		 all = 1, distinct = 1;
	void		*prev = NULL;

	ok(a != NULL, "arena_new(0) gives an arena");
	is_int(arena_used(a), 0, "a new arena has used nothing");
	p = arena_alloc(a, 0);
	q = arena_alloc(a, 0);
	ok(p != NULL && q != NULL && p != q,
	    "zero-byte allocations are distinct and not NULL");
	for (i = 1; i < 200; i++) {
		void *v = arena_alloc(a, i);

		if (!aligned(v))
			all = 0;
		if (v == prev)
			distinct = 0;
		memset(v, 0xa5, i);
		prev = v;
	}
	ok(all, "every allocation is aligned for max_align_t");
	ok(distinct, "consecutive allocations do not alias");

	/* Larger than a block: gets a block of its own, fully usable. */
	big = arena_alloc(a, 1 << 20);
	ok(big != NULL && aligned(big), "a 1 MiB allocation succeeds");
	memset(big, 'x', 1 << 20);
	p = arena_alloc(a, 10);
	memcpy(p, "after big", 10);
	ok(big[0] == 'x' && big[(1 << 20) - 1] == 'x',
	    "the big block keeps its contents after further allocation");
	is_str(p, "after big", "allocation after a big block works");
	arena_free(a);
}

static void
test_used_and_reset(void)
{
	struct arena	*a = arena_new(64);
	void		*first, *again;
	size_t		 i;

	first = arena_alloc(a, 100);
	is_int(arena_used(a), 100, "arena_used counts bytes handed out");
	arena_alloc(a, 28);
	is_int(arena_used(a), 128, "arena_used accumulates");
	for (i = 0; i < 100; i++)
		arena_alloc(a, 4000);	/* spill over several blocks */
	is_int(arena_used(a), 128 + 100 * 4000,
	    "arena_used counts across blocks");
	arena_reset(a);
	is_int(arena_used(a), 0, "arena_reset rewinds arena_used");
	again = arena_alloc(a, 100);
	ok(again == first, "after reset the first block is reused");
	arena_free(a);
	arena_free(NULL);	/* must not crash */
}

static void
test_calloc(void)
{
	struct arena	*a = arena_new(0);
	unsigned char	*p;
	size_t		 i;
	int		 zero = 1;

	p = arena_alloc(a, 4096);
	memset(p, 0xff, 4096);
	arena_reset(a);
	p = arena_calloc(a, 1024, 4);
	for (i = 0; i < 4096; i++)
		if (p[i] != 0)
			zero = 0;
	ok(zero, "arena_calloc zeroes memory reused after a reset");
	ok(arena_calloc(a, 0, 8) != NULL, "arena_calloc of 0 members is "
	    "not NULL");
	arena_free(a);
}

static void
test_strings(void)
{
	struct arena	*a = arena_new(0);
	char		 big[40000];
	char		*s;

	is_str(arena_strdup(a, "hello"), "hello", "arena_strdup copies");
	is_str(arena_strdup(a, ""), "", "arena_strdup of empty string");
	s = arena_strndup(a, "abcdef", 3);
	is_str(s, "abc", "arena_strndup stops at n and terminates");
	s = arena_strndup(a, "a\0b", 3);
	ok(s[0] == 'a' && s[1] == '\0' && s[2] == 'b' && s[3] == '\0',
	    "arena_strndup copies embedded NUL bytes and terminates");
	is_str(arena_printf(a, "%d-%s-%c", 42, "x", 'y'), "42-x-y",
	    "arena_printf formats");
	is_str(arena_printf(a, "%s", ""), "", "arena_printf of empty");
	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	s = arena_printf(a, "<%s>", big);
	ok(s != NULL && strlen(s) == sizeof(big) + 1 && s[0] == '<' &&
	    s[sizeof(big)] == '>', "arena_printf larger than a block");
	arena_free(a);
}

static void
test_cleanups(void)
{
	struct arena	*a = arena_new(0);
	int		 one = 1, two = 2, three = 3;

	norder = 0;
	arena_cleanup(a, record, &one);
	arena_cleanup(a, record, &two);
	arena_cleanup(a, record, &three);
	is_int(norder, 0, "cleanups do not run when registered");
	arena_reset(a);
	is_int(norder, 3, "arena_reset runs every cleanup");
	ok(order[0] == 3 && order[1] == 2 && order[2] == 1,
	    "cleanups run in reverse order of registration");
	arena_reset(a);
	is_int(norder, 3, "a cleanup runs only once");

	norder = 0;
	arena_cleanup(a, record, &one);
	arena_alloc(a, 100000);	/* the cleanup record survives growth */
	arena_cleanup(a, record, &two);
	arena_free(a);
	is_int(norder, 2, "arena_free runs pending cleanups");
	ok(order[0] == 2 && order[1] == 1, "in reverse order");
}

static void
test_overflow_aborts(void)
{
	struct arena	*a;
	pid_t		 pid;
	int		 status, fd;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		if ((fd = open("/dev/null", O_WRONLY)) >= 0)
			dup2(fd, STDERR_FILENO);
		a = arena_new(0);
		arena_calloc(a, SIZE_MAX / 2, 4);
		_exit(0);
	}
	ok(pid > 0 && waitpid(pid, &status, 0) == pid &&
	    !(WIFEXITED(status) && WEXITSTATUS(status) == 0),
	    "arena_calloc whose size overflows aborts instead of returning");
}

int
main(void)
{
	test_alloc();
	test_used_and_reset();
	test_calloc();
	test_strings();
	test_cleanups();
	test_overflow_aborts();
	return tap_done();
}
