/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exact distribution of uint64 samples, bounded by the number of distinct
 * values rather than the number of samples: steplab adds one value per
 * single-step, and a run of millions of steps mostly repeats a handful of
 * exact counts, so a value -> count table stays small while every
 * statistic remains exact.
 */
#ifndef STEPLAB_STATS_H
#define STEPLAB_STATS_H

#include <stddef.h>
#include <stdint.h>

struct dist_slot {
	uint64_t val;
	uint64_t count;		/* 0 marks an empty slot */
};

/*
 * Open-addressing table, capacity 0 or a power of two.  The fields are
 * readable; change them only through the functions below.  min and max
 * are meaningful only when n > 0.  The sum is kept in 128 bits so that
 * the mean stays right even for samples near UINT64_MAX.
 */
struct dist {
	struct dist_slot *slots;
	size_t cap;
	size_t distinct;
	uint64_t n;
	uint64_t min;
	uint64_t max;
	uint64_t sum_lo;
	uint64_t sum_hi;
	size_t hint;		/* the slot the last sample went to */
};

/*
 * Quantiles use the nearest-rank rule on the exact multiset: the q-th
 * quantile is the smallest sample v such that at least ceil(q * n)
 * samples are <= v (and at least one).  median is p50 by the same rule,
 * mode is the most frequent value (the smallest one on ties), and mad is
 * the nearest-rank median of |v - median| over all samples.
 */
struct dist_summary {
	uint64_t n;
	uint64_t distinct;
	uint64_t min;
	uint64_t max;
	double mean;
	uint64_t median;
	uint64_t p10;
	uint64_t p90;
	uint64_t p99;
	uint64_t mode;
	uint64_t mode_count;
	uint64_t mad;
};

/* Empty distribution; nothing is allocated until the first add. */
void dist_init(struct dist *d);

/* Releases the table and leaves @d empty and reusable. */
void dist_free(struct dist *d);

/*
 * Adds one sample.  Allocates only when a new distinct value needs the
 * table to grow.  Returns 0, -ENOMEM (@d unchanged) or -EOVERFLOW when
 * the sample count would wrap.
 */
int dist_add(struct dist *d, uint64_t v);

/* Adds @count copies of @v; @count == 0 is a no-op.  Errors as dist_add. */
int dist_add_n(struct dist *d, uint64_t v, uint64_t count);

/*
 * Adds every sample of @src to @dst (@src may be @dst).  Either all of
 * @src is added or, on -ENOMEM or -EOVERFLOW, @dst is left unchanged.
 */
int dist_merge(struct dist *dst, const struct dist *src);

/*
 * Fills @s; allocates a sorted copy of the distinct values for the
 * duration of the call.  Returns 0, -ENODATA when @d holds no sample,
 * or -ENOMEM.
 */
int dist_summarize(const struct dist *d, struct dist_summary *s);

/*
 * Nearest-rank quantile for 0 <= @q <= 1.  @q is taken to a resolution
 * of 1e-9, so that decimal fractions mean what they say (0.07 of 100
 * samples is rank 7, not 8 as the binary 0.07000000000000000666 would
 * give).  Allocates nothing.  Returns 0, -EINVAL or -ENODATA.
 */
int dist_quantile(const struct dist *d, double q, uint64_t *out);

/*
 * Writes the @cap smallest distinct values, ascending, with their counts
 * into @vals and @counts (either may be NULL when @cap is 0).  Returns
 * the number of distinct values in @d, like snprintf: a result greater
 * than @cap means the output was truncated.  Allocates nothing.
 */
size_t dist_values(const struct dist *d, uint64_t *vals, uint64_t *counts,
		   size_t cap);

#endif
