// SPDX-License-Identifier: GPL-2.0
/*
 * Whether a step repeats its class's last in everything the verdict and
 * the totals read (step_alike()): most steps do, and are
 * then counted as that one was without being judged again, so the
 * compare runs on nearly every step and is written to be short.
 */
#include <stddef.h>
#include <string.h>

#include "lib/alike.h"

/*
 * The block compared whole: the exits, the exit reason, the CPU, the path
 * and every flag, the metrics measured, the class's entries and the
 * figures but the time, with no padding inside.
 */
#define ALIKE_FROM	offsetof(struct step_record, nexits)
#define ALIKE_LEN	(offsetof(struct step_record, m[M_TIME_NS]) - ALIKE_FROM)
_Static_assert(offsetof(struct step_record, exits) == ALIKE_FROM + 4 &&
	       offsetof(struct step_record, exit_reason) == ALIKE_FROM + 12 &&
	       offsetof(struct step_record, cpu) == ALIKE_FROM + 16 &&
	       offsetof(struct step_record, path) == ALIKE_FROM + 20 &&
	       offsetof(struct step_record, observed) == ALIKE_FROM + 27 &&
	       offsetof(struct step_record, have) == ALIKE_FROM + 28 &&
	       offsetof(struct step_record, class_entries) == ALIKE_FROM + 32 &&
	       offsetof(struct step_record, m) == ALIKE_FROM + 40 && ALIKE_LEN == 7 * 16,
	       "step_alike()'s block: nexits up to the time, no padding");
/* the last run's figures but the time: four times 16 bytes and a word */
_Static_assert(M_TIME_NS == M_MAX - 1 && M_TIME_NS * 8 == 4 * 16 + 8, "72 bytes");

/* Two words at a time (NEON, SSE2), from anywhere in a record. */
typedef uint64_t words2 __attribute__((vector_size(16), may_alias, aligned(8)));

/* The XOR of @n16 times 16 bytes at @a and @b, folded into one word. */
static inline uint64_t bytes_diff(const void *a, const void *b, unsigned int n16)
{
	const words2 *x = a, *y = b;
	words2 acc = x[0] ^ y[0];
	unsigned int i;

#pragma GCC unroll 8
	for (i = 1; i < n16; i++)
		acc |= x[i] ^ y[i];
	return acc[0] | acc[1];
}

static inline uint64_t word_at(const void *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	return w;
}

bool step_alike(const struct step_record *a, const struct step_record *b)
{
	const char *x = (const char *)a + ALIKE_FROM, *y = (const char *)b + ALIKE_FROM;
	uint64_t d;

	d = (uint64_t)((a->row < 0) ^ (b->row < 0));
	d |= (uint64_t)(a->syn.raw ^ b->syn.raw);
	d |= (uint64_t)((a->pc_after == a->pc_expected) ^ (b->pc_after == b->pc_expected));
	d |= (uint64_t)(step_ran_two(a) ^ step_ran_two(b));
	d |= bytes_diff(x, y, ALIKE_LEN / 16);
	if (d)
		return false;
	return a->m[M_RUNS] <= 1 ||
	       !(bytes_diff(a->last, b->last, 4) | (word_at(&a->last[8]) ^ word_at(&b->last[8])));
}
