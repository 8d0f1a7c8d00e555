/* hashcap.c: shared slots that bound concurrent password hashing. */
#include "config.h"

#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hashcap.h"
#include "log.h"

struct hashcap {
	_Atomic pid_t	 slot[HASHCAP_SLOTS];
};

struct hashcap *
hashcap_new(void)
{
	struct hashcap	*h;
	int		 i;

	h = mmap(NULL, sizeof(*h), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (h == MAP_FAILED) {
		log_error("could not map shared memory for the hash cap");
		return NULL;
	}
	for (i = 0; i < HASHCAP_SLOTS; i++)
		atomic_init(&h->slot[i], 0);
	return h;
}

void
hashcap_free(struct hashcap *h)
{
	if (h != NULL)
		munmap(h, sizeof(*h));
}

int
hashcap_acquire(struct hashcap *h, int max)
{
	pid_t	 self = getpid(), free_;
	int	 i;

	if (h == NULL)
		return 0;
	if (max > HASHCAP_SLOTS)
		max = HASHCAP_SLOTS;
	for (i = 0; i < max; i++) {
		free_ = 0;
		if (atomic_compare_exchange_strong(&h->slot[i], &free_, self))
			return i;
	}
	return -1;
}

void
hashcap_release(struct hashcap *h, int slot)
{
	if (h != NULL && slot >= 0 && slot < HASHCAP_SLOTS)
		atomic_store(&h->slot[slot], 0);
}

void
hashcap_reap(struct hashcap *h, pid_t pid)
{
	pid_t	 held;
	int	 i;

	if (h == NULL)
		return;
	for (i = 0; i < HASHCAP_SLOTS; i++) {
		held = pid;
		atomic_compare_exchange_strong(&h->slot[i], &held, 0);
	}
}
