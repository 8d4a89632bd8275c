// SPDX-License-Identifier: GPL-2.0
/*
 * Exact value -> count distribution.  Empty slots are marked by a zero
 * count rather than a reserved value, so 0 and UINT64_MAX are ordinary
 * samples.  Statistics that need order sort the distinct values only,
 * never the samples.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "lib/stats.h"

#define DIST_MIN_CAP	16

/* Quantile fractions are resolved to this denominator; see stats.h. */
#define DIST_Q_DEN	1000000000ULL

void dist_init(struct dist *d)
{
	*d = (struct dist){ .min = UINT64_MAX };
}

void dist_free(struct dist *d)
{
	free(d->slots);
	dist_init(d);
}

/*
 * Sample values are often small consecutive integers, which would pile
 * up in neighbouring slots under linear probing without a mixing step.
 */
static size_t hash_u64(uint64_t v)
{
	v ^= v >> 33;
	v *= 0xff51afd7ed558ccdULL;
	v ^= v >> 33;
	v *= 0xc4ceb9fe1a85ec53ULL;
	v ^= v >> 33;
	return (size_t)v;
}

/* Slot holding @v, or the empty slot where @v belongs. */
static size_t slot_find(const struct dist_slot *slots, size_t cap, uint64_t v)
{
	size_t mask = cap - 1;
	size_t i = hash_u64(v) & mask;

	while (slots[i].count && slots[i].val != v)
		i = (i + 1) & mask;
	return i;
}

static int dist_rehash(struct dist *d, size_t cap)
{
	struct dist_slot *slots = calloc(cap, sizeof(*slots));
	size_t i;

	if (!slots)
		return -ENOMEM;

	for (i = 0; i < d->cap; i++)
		if (d->slots[i].count)
			slots[slot_find(slots, cap, d->slots[i].val)] = d->slots[i];

	free(d->slots);
	d->slots = slots;
	d->cap = cap;
	d->hint = 0;
	return 0;
}

/* Keeps the load at or below 3/4 so that probe sequences stay short. */
static int dist_reserve(struct dist *d, size_t distinct)
{
	size_t cap = d->cap ? d->cap : DIST_MIN_CAP;

	while (distinct > cap / 4 * 3) {
		if (cap > SIZE_MAX / 2 / sizeof(struct dist_slot))
			return -ENOMEM;
		cap *= 2;
	}
	if (cap == d->cap)
		return 0;
	return dist_rehash(d, cap);
}

/* GCC and Clang on every 64-bit target steplab builds for. */
__extension__ typedef unsigned __int128 u128;

/* Caller has checked that n cannot wrap; the 128-bit sum then cannot. */
static void dist_account(struct dist *d, uint64_t v, uint64_t count)
{
	u128 sum = (u128)d->sum_hi << 64 | d->sum_lo;

	sum += (u128)v * count;
	d->sum_lo = (uint64_t)sum;
	d->sum_hi = (uint64_t)(sum >> 64);
	d->n += count;
	if (v < d->min)
		d->min = v;
	if (v > d->max)
		d->max = v;
}

int dist_add_n(struct dist *d, uint64_t v, uint64_t count)
{
	size_t i = 0, cap = d->cap;
	int ret;

	if (!count)
		return 0;
	if (count > UINT64_MAX - d->n)
		return -EOVERFLOW;

	/* most samples repeat the one before: no hashing for those */
	if (cap && d->slots[d->hint].count && d->slots[d->hint].val == v) {
		d->slots[d->hint].count += count;
		dist_account(d, v, count);
		return 0;
	}
	if (cap) {
		i = slot_find(d->slots, cap, v);
		d->hint = i;
		if (d->slots[i].count) {
			d->slots[i].count += count;
			dist_account(d, v, count);
			return 0;
		}
	}

	ret = dist_reserve(d, d->distinct + 1);
	if (ret)
		return ret;
	if (d->cap != cap)
		i = slot_find(d->slots, d->cap, v);

	d->slots[i].val = v;
	d->slots[i].count = count;
	d->hint = i;
	d->distinct++;
	dist_account(d, v, count);
	return 0;
}

int dist_add(struct dist *d, uint64_t v)
{
	return dist_add_n(d, v, 1);
}

static bool dist_has(const struct dist *d, uint64_t v)
{
	return d->cap && d->slots[slot_find(d->slots, d->cap, v)].count;
}

int dist_merge(struct dist *dst, const struct dist *src)
{
	size_t i, fresh = 0;
	struct dist_slot s;
	int ret;

	if (src->n > UINT64_MAX - dst->n)
		return -EOVERFLOW;

	/*
	 * Size the table for the final set of values first, so that the
	 * only failure happens before anything in @dst has changed; the
	 * adds below then neither grow nor overflow.
	 */
	for (i = 0; i < src->cap && dst != src; i++)
		fresh += src->slots[i].count && !dist_has(dst, src->slots[i].val);
	ret = fresh ? dist_reserve(dst, dst->distinct + fresh) : 0;
	if (ret)
		return ret;

	/* Copied by value: when @src is @dst the slot doubles under us. */
	for (i = 0; i < src->cap; i++) {
		s = src->slots[i];
		if (s.count)
			dist_add_n(dst, s.val, s.count);
	}
	return 0;
}

static void pair_swap(uint64_t *vals, uint64_t *counts, size_t a, size_t b)
{
	uint64_t v = vals[a], c = counts[a];

	vals[a] = vals[b];
	counts[a] = counts[b];
	vals[b] = v;
	counts[b] = c;
}

static void heap_sift_down(uint64_t *vals, uint64_t *counts, size_t m,
			   size_t i)
{
	size_t top, l;

	for (;;) {
		top = i;
		l = 2 * i + 1;
		if (l < m && vals[l] > vals[top])
			top = l;
		if (l + 1 < m && vals[l + 1] > vals[top])
			top = l + 1;
		if (top == i)
			return;
		pair_swap(vals, counts, i, top);
		i = top;
	}
}

static void heap_sift_up(uint64_t *vals, uint64_t *counts, size_t i)
{
	for (; i && vals[(i - 1) / 2] < vals[i]; i = (i - 1) / 2)
		pair_swap(vals, counts, i, (i - 1) / 2);
}

/*
 * A max-heap of the @cap smallest values built in the caller's arrays,
 * then heap-sorted in place: this keeps the function allocation-free and
 * lets a report ask for just the lower part of a wide histogram.
 */
size_t dist_values(const struct dist *d, uint64_t *vals, uint64_t *counts,
		   size_t cap)
{
	size_t i, m = 0;
	uint64_t v;

	for (i = 0; i < d->cap && cap; i++) {
		if (!d->slots[i].count)
			continue;
		v = d->slots[i].val;
		if (m < cap) {
			vals[m] = v;
			counts[m] = d->slots[i].count;
			heap_sift_up(vals, counts, m++);
		} else if (v < vals[0]) {
			vals[0] = v;
			counts[0] = d->slots[i].count;
			heap_sift_down(vals, counts, m, 0);
		}
	}
	while (m > 1) {
		pair_swap(vals, counts, 0, --m);
		heap_sift_down(vals, counts, m, 0);
	}
	return d->distinct;
}

/*
 * ceil(n * num / den), at least 1, computed so that n * num cannot
 * overflow: num <= den <= 1e9 keeps (n % den) * num below 2^64.
 */
static uint64_t rank_of(uint64_t n, uint64_t num, uint64_t den)
{
	uint64_t r = n / den * num + ((n % den) * num + den - 1) / den;

	return r ? r : 1;
}

/* Index of the sample of rank @r in sorted (value, count) pairs. */
static size_t sorted_index(const uint64_t *counts, size_t k, uint64_t r)
{
	uint64_t cum = 0;
	size_t i;

	for (i = 0; i < k - 1; i++) {
		cum += counts[i];
		if (cum >= r)
			break;
	}
	return i;
}

/*
 * Deviations from the median grow monotonically when walking outwards
 * from it in both directions, so merging the two walks visits them in
 * sorted order and the rank can be counted off without expanding samples.
 */
static uint64_t sorted_mad(const uint64_t *vals, const uint64_t *counts,
			   size_t k, size_t med, uint64_t r)
{
	uint64_t m = vals[med], cum = 0, dev;
	size_t lo = med, hi = med;
	bool left;

	for (;;) {
		left = lo > 0 && (hi == k || m - vals[lo - 1] <= vals[hi] - m);
		if (left) {
			lo--;
			dev = m - vals[lo];
			cum += counts[lo];
		} else {
			dev = vals[hi] - m;
			cum += counts[hi++];
		}
		if (cum >= r || (lo == 0 && hi == k))
			return dev;
	}
}

int dist_summarize(const struct dist *d, struct dist_summary *s)
{
	uint64_t *vals, *counts;
	size_t k = d->distinct, i, med;

	if (!d->n)
		return -ENODATA;

	vals = malloc(k * 2 * sizeof(*vals));
	if (!vals)
		return -ENOMEM;
	counts = vals + k;
	dist_values(d, vals, counts, k);

	s->n = d->n;
	s->distinct = k;
	s->min = d->min;
	s->max = d->max;
	s->mean = ((double)d->sum_hi * 0x1p64 + (double)d->sum_lo) /
		  (double)d->n;

	med = sorted_index(counts, k, rank_of(d->n, 50, 100));
	s->median = vals[med];
	s->p10 = vals[sorted_index(counts, k, rank_of(d->n, 10, 100))];
	s->p90 = vals[sorted_index(counts, k, rank_of(d->n, 90, 100))];
	s->p99 = vals[sorted_index(counts, k, rank_of(d->n, 99, 100))];

	/* Ascending order and a strict comparison give the smallest on ties. */
	s->mode = vals[0];
	s->mode_count = counts[0];
	for (i = 1; i < k; i++) {
		if (counts[i] > s->mode_count) {
			s->mode = vals[i];
			s->mode_count = counts[i];
		}
	}

	s->mad = sorted_mad(vals, counts, k, med, rank_of(d->n, 50, 100));
	free(vals);
	return 0;
}

static uint64_t dist_count_le(const struct dist *d, uint64_t v)
{
	uint64_t cum = 0;
	size_t i;

	for (i = 0; i < d->cap; i++)
		if (d->slots[i].count && d->slots[i].val <= v)
			cum += d->slots[i].count;
	return cum;
}

/*
 * Bisecting on the value range costs at most 64 passes over the table
 * but needs no sorted copy, so a single quantile cannot fail on memory.
 */
int dist_quantile(const struct dist *d, double q, uint64_t *out)
{
	uint64_t r, lo, hi, mid;

	if (!(q >= 0.0 && q <= 1.0))
		return -EINVAL;
	if (!d->n)
		return -ENODATA;

	r = rank_of(d->n, (uint64_t)(q * DIST_Q_DEN + 0.5), DIST_Q_DEN);
	lo = d->min;
	hi = d->max;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (dist_count_le(d, mid) >= r)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out = lo;
	return 0;
}
