/* util.c: allocation that cannot fail, number parsing and randomness. */
#include "config.h"

#include <sys/random.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

static void
oom(size_t n)
{
	fprintf(stderr, "chapterhouse: out of memory allocating %zu bytes\n",
	    n);
	abort();
}

void *
xmalloc(size_t n)
{
	void	*p;

	if ((p = malloc(n == 0 ? 1 : n)) == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void	*p;

	if ((p = calloc(nmemb == 0 ? 1 : nmemb, size == 0 ? 1 : size)) == NULL)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n == 0 ? 1 : n)) == NULL)
		oom(n);
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size != 0 && nmemb > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, nmemb * size);
}

char *
xstrdup(const char *s)
{
	size_t	 n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

int
parse_ll(const char *s, long long min, long long max, long long *out)
{
	char		*end;
	long long	 v;

	if (s == NULL || *s == '\0' || (*s != '-' && (*s < '0' || *s > '9')))
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return 0;
	*out = v;
	return 1;
}

int
parse_size(const char *s, size_t min, size_t max, size_t *out)
{
	char			*end;
	unsigned long long	 v, mul = 1;

	if (s == NULL || *s < '0' || *s > '9')
		return 0;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0)
		return 0;
	switch (*end) {
	case '\0':
		break;
	case 'k': case 'K':
		mul = 1024ULL;
		end++;
		break;
	case 'm': case 'M':
		mul = 1024ULL * 1024;
		end++;
		break;
	case 'g': case 'G':
		mul = 1024ULL * 1024 * 1024;
		end++;
		break;
	default:
		return 0;
	}
	if (*end != '\0' || v > ULLONG_MAX / mul)
		return 0;
	v *= mul;
	if (v < min || v > max)
		return 0;
	*out = (size_t)v;
	return 1;
}

char *
read_file(const char *path, size_t max, size_t *len)
{
	FILE	*f;
	char	*s;
	long	 n;
	int	 e;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		e = errno;
		fclose(f);
		errno = e;
		return NULL;
	}
	if ((size_t)n > max) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	s = xmalloc((size_t)n + 1);
	if (fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	s[n] = '\0';
	*len = (size_t)n;
	fclose(f);
	return s;
}

void
random_bytes(void *buf, size_t n)
{
	unsigned char	*p = buf;
	ssize_t		 r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "chapterhouse: getrandom: %s\n",
			    strerror(errno));
			abort();
		}
		p += r;
		n -= (size_t)r;
	}
}

long long
now_usec(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}
