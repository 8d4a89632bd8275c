// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for bench/lib/stats.c: hand-checked small multisets, the edges
 * of the value range, growth, merging, a clustered run of a million
 * samples shaped like real step data, and a brute-force cross-check.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/stats.h"
#include "tap.h"

static bool near(double a, double b)
{
	return fabs(a - b) <= 1e-12 * fabs(b) + 1e-12;
}

#define check_field(s, want, what, f) do {				\
	char __name[80];						\
	snprintf(__name, sizeof(__name), "%s: " #f, what);		\
	tap_eq_u64((s)->f, (want)->f, __name);				\
} while (0)

static void check_summary(const struct dist_summary *s,
			  const struct dist_summary *want, const char *what)
{
	check_field(s, want, what, n);
	check_field(s, want, what, distinct);
	check_field(s, want, what, min);
	check_field(s, want, what, max);
	tap_ok(near(s->mean, want->mean), "%s: mean (%.17g == %.17g)", what,
	       s->mean, want->mean);
	check_field(s, want, what, median);
	check_field(s, want, what, p10);
	check_field(s, want, what, p90);
	check_field(s, want, what, p99);
	check_field(s, want, what, mode);
	check_field(s, want, what, mode_count);
	check_field(s, want, what, mad);
}

static void add_all(struct dist *d, const uint64_t *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		dist_add(d, v[i]);
}

static void test_empty(void)
{
	struct dist_summary s;
	struct dist d;
	uint64_t q;

	dist_init(&d);
	tap_ok(d.slots == NULL && d.cap == 0, "empty: no table before first add");
	tap_ok(dist_summarize(&d, &s) == -ENODATA,
	       "empty: summarize is ENODATA");
	tap_ok(dist_quantile(&d, 0.5, &q) == -ENODATA,
	       "empty: quantile is ENODATA");
	tap_eq_u64(dist_values(&d, NULL, NULL, 0), 0, "empty: values");
	tap_eq_u64(dist_add_n(&d, 5, 0), 0, "empty: add_n of 0 copies");
	tap_ok(d.n == 0 && d.cap == 0, "empty: add_n of 0 copies is a no-op");
	dist_free(&d);
}

static void test_single(void)
{
	struct dist_summary s, want = {
		.n = 1, .distinct = 1, .min = 42, .max = 42, .mean = 42,
		.median = 42, .p10 = 42, .p90 = 42, .p99 = 42,
		.mode = 42, .mode_count = 1, .mad = 0,
	};
	struct dist d;

	dist_init(&d);
	dist_add(&d, 42);
	tap_eq_u64(dist_summarize(&d, &s), 0, "n=1: summarize");
	check_summary(&s, &want, "n=1");
	dist_free(&d);
}

/*
 * Sorted: 1 2 2 3 4 5 6 7 8 100.  Ranks 1, 5, 9, 10 for p10, p50, p90,
 * p99.  Deviations from 4: 0 1 1 2 2 2 3 3 4 96, the 5th is 2.
 */
static void test_small(void)
{
	static const uint64_t v[] = { 7, 2, 100, 4, 1, 8, 2, 5, 3, 6 };
	struct dist_summary s, want = {
		.n = 10, .distinct = 9, .min = 1, .max = 100, .mean = 13.8,
		.median = 4, .p10 = 1, .p90 = 8, .p99 = 100,
		.mode = 2, .mode_count = 2, .mad = 2,
	};
	struct dist d;

	dist_init(&d);
	add_all(&d, v, 10);
	tap_eq_u64(dist_summarize(&d, &s), 0, "small: summarize");
	check_summary(&s, &want, "small");
	dist_free(&d);
}

/*
 * Sorted: 3 3 5 5 9.  3 and 5 tie for mode, the smaller wins.  Median
 * is rank 3 = 5; deviations 0 0 2 2 4 give MAD 2.
 */
static void test_ties(void)
{
	static const uint64_t v[] = { 5, 5, 3, 3, 9 };
	static const uint64_t even[] = { 4, 3, 2, 1 };
	struct dist_summary s, want = {
		.n = 5, .distinct = 3, .min = 3, .max = 9, .mean = 5,
		.median = 5, .p10 = 3, .p90 = 9, .p99 = 9,
		.mode = 3, .mode_count = 2, .mad = 2,
	};
	struct dist d;

	dist_init(&d);
	add_all(&d, v, 5);
	tap_eq_u64(dist_summarize(&d, &s), 0, "ties: summarize");
	check_summary(&s, &want, "ties");
	dist_free(&d);

	/* Nearest rank takes the lower middle; deviations 0 1 1 2. */
	add_all(&d, even, 4);
	dist_summarize(&d, &s);
	tap_eq_u64(s.median, 2, "even n: median is the lower middle");
	tap_eq_u64(s.mad, 1, "even n: mad");
	tap_eq_u64(s.mode, 1, "all counts equal: mode is the smallest");
	dist_free(&d);
}

static void test_extremes(void)
{
	uint64_t vals[4], counts[4], q;
	struct dist_summary s;
	struct dist d;

	dist_init(&d);
	dist_add(&d, 0);
	tap_ok(d.distinct == 1 && d.n == 1 && d.min == 0 && d.max == 0,
	       "extremes: 0 alone is stored");
	dist_add_n(&d, 0, 2);
	dist_add_n(&d, UINT64_MAX, 2);
	dist_add(&d, 1);
	tap_eq_u64(dist_values(&d, vals, counts, 4), 3, "extremes: distinct");
	tap_ok(vals[0] == 0 && counts[0] == 3 && vals[1] == 1 &&
	       counts[1] == 1 && vals[2] == UINT64_MAX && counts[2] == 2,
	       "extremes: values 0, 1, UINT64_MAX with counts 3, 1, 2");

	dist_summarize(&d, &s);
	tap_ok(s.min == 0 && s.max == UINT64_MAX, "extremes: min 0, max MAX");
	tap_eq_u64(s.median, 0, "extremes: median (rank 3)");
	tap_eq_u64(s.p90, UINT64_MAX, "extremes: p90 (rank 6)");
	tap_ok(s.mode == 0 && s.mode_count == 3, "extremes: mode 0 x3");
	tap_eq_u64(s.mad, 0, "extremes: mad");
	tap_ok(near(s.mean, (2 * 0x1p64 - 1) / 6),
	       "extremes: mean keeps the sum beyond 64 bits (%.17g)", s.mean);
	dist_quantile(&d, 1.0, &q);
	tap_eq_u64(q, UINT64_MAX, "extremes: quantile 1.0");
	dist_free(&d);

	dist_add_n(&d, UINT64_MAX, UINT64_MAX);
	tap_ok(dist_add(&d, 3) == -EOVERFLOW,
	       "extremes: count overflow is EOVERFLOW");
	tap_ok(d.n == UINT64_MAX && d.distinct == 1,
	       "extremes: overflowing add leaves the distribution unchanged");
	dist_summarize(&d, &s);
	tap_ok(near(s.mean, 0x1p64), "extremes: mean of MAX x MAX is MAX");
	dist_free(&d);
}

static void test_quantile_args(void)
{
	struct dist d;
	uint64_t i, q = 0;

	dist_init(&d);
	for (i = 1; i <= 100; i++)
		dist_add(&d, i);
	tap_ok(dist_quantile(&d, -0.1, &q) == -EINVAL,
	       "quantile: q < 0 is EINVAL");
	tap_ok(dist_quantile(&d, 1.5, &q) == -EINVAL,
	       "quantile: q > 1 is EINVAL");
	tap_ok(dist_quantile(&d, NAN, &q) == -EINVAL,
	       "quantile: NaN is EINVAL");
	dist_quantile(&d, 0.0, &q);
	tap_eq_u64(q, 1, "quantile: q=0 is the minimum");
	dist_quantile(&d, 0.07, &q);
	tap_eq_u64(q, 7, "quantile: decimal 0.07 of 100 is rank 7");
	dist_quantile(&d, 0.995, &q);
	tap_eq_u64(q, 100, "quantile: 0.995 of 100 rounds up to rank 100");
	dist_free(&d);
}

/* 100,000 distinct values (stride 7919) inserted in a scrambled order. */
static void test_growth(void)
{
	const uint64_t k = 100000, stride = 7919, base = 13;
	uint64_t *vals, *counts, i;
	struct dist_summary s;
	struct dist d;
	size_t cap;
	bool sorted = true;

	dist_init(&d);
	for (i = 0; i < k; i++)
		dist_add(&d, base + (i * 65537 % k) * stride);
	cap = d.cap;
	tap_ok(cap >= k && (cap & (cap - 1)) == 0 && cap <= 4 * k,
	       "growth: capacity %zu is a power of two, bounded", cap);

	dist_summarize(&d, &s);
	tap_eq_u64(s.distinct, k, "growth: distinct");
	tap_eq_u64(s.min, base, "growth: min");
	tap_eq_u64(s.max, base + (k - 1) * stride, "growth: max");
	tap_eq_u64(s.median, base + 49999 * stride, "growth: median (rank 50000)");
	tap_eq_u64(s.p10, base + 9999 * stride, "growth: p10");
	tap_eq_u64(s.p99, base + 98999 * stride, "growth: p99");
	/* |i - 49999| <= 25000 covers 50001 samples, <= 24999 only 49999. */
	tap_eq_u64(s.mad, 25000 * stride, "growth: mad");

	vals = malloc(k * sizeof(*vals));
	counts = malloc(k * sizeof(*counts));
	dist_values(&d, vals, counts, k);
	for (i = 0; i < k; i++)
		if (vals[i] != base + i * stride || counts[i] != 1)
			sorted = false;
	tap_ok(sorted, "growth: values come back sorted with their counts");

	for (i = 0; i < k; i++)
		dist_add(&d, base + i * stride);
	tap_ok(d.cap == cap && d.n == 2 * k && d.distinct == k,
	       "growth: repeated values do not grow the table");

	tap_eq_u64(dist_values(&d, vals, counts, 3), k,
		   "growth: truncated values return the full count");
	tap_ok(vals[0] == base && vals[1] == base + stride &&
	       vals[2] == base + 2 * stride && counts[2] == 2,
	       "growth: truncated values are the smallest, sorted");
	free(vals);
	free(counts);
	dist_free(&d);
}

/* splitmix64: small, fixed-seed, good enough to scatter test values. */
static uint64_t rng_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

enum shape {
	SHAPE_STEP,		/* one common value, neighbours, rare wild ones */
	SHAPE_TINY,		/* six values: many ties for the mode */
};

static uint64_t rng_sample(uint64_t *state, enum shape shape)
{
	uint64_t r = rng_next(state), pick = r % 100;

	if (shape == SHAPE_TINY)
		return r % 6;
	if (pick < 30)
		return 9303;
	if (pick < 97)
		return 9000 + rng_next(state) % 700;
	return rng_next(state);
}

static bool dist_equal(const struct dist *a, const struct dist *b)
{
	size_t na = dist_values(a, NULL, NULL, 0);
	size_t nb = dist_values(b, NULL, NULL, 0);
	uint64_t *buf = malloc(4 * na * sizeof(*buf));
	uint64_t *va = buf, *ca = buf + na, *vb = buf + 2 * na, *cb = buf + 3 * na;
	bool same;

	dist_values(a, va, ca, na);
	dist_values(b, vb, cb, na);
	same = na == nb && a->n == b->n && a->min == b->min &&
	       a->max == b->max && a->sum_lo == b->sum_lo &&
	       a->sum_hi == b->sum_hi &&
	       !memcmp(va, vb, na * sizeof(*va)) &&
	       !memcmp(ca, cb, na * sizeof(*ca));
	free(buf);
	return same;
}

static void test_merge(void)
{
	struct dist a, b, all, empty;
	uint64_t seed = 1, v;
	int i;

	dist_init(&a);
	dist_init(&b);
	dist_init(&all);
	dist_init(&empty);
	for (i = 0; i < 5000; i++) {
		v = rng_sample(&seed, SHAPE_STEP);
		dist_add(i % 3 ? &a : &b, v);
		dist_add(&all, v);
	}
	tap_eq_u64(dist_merge(&a, &b), 0, "merge: returns 0");
	tap_ok(dist_equal(&a, &all), "merge: equals adding everything to one");
	tap_ok(a.min == all.min && a.max == all.max, "merge: min and max");

	dist_merge(&a, &empty);
	tap_ok(dist_equal(&a, &all), "merge: empty source changes nothing");
	dist_merge(&empty, &all);
	tap_ok(dist_equal(&empty, &all), "merge: into an empty destination");

	dist_merge(&all, &all);
	dist_merge(&a, &empty);
	tap_ok(dist_equal(&all, &a), "merge: with itself doubles every count");

	dist_free(&a);
	dist_free(&b);
	dist_free(&all);
	dist_free(&empty);
}

/*
 * A million steps: 99% on 9303, every 100th step an outlier; 2000
 * outliers 5000..6999 below and 8000 outliers 10000..17999 above.
 * Counting up: 2000 below, then 992000 through 9303, then the rest.
 */
static void test_million(void)
{
	const uint64_t n = 1000000, below = 2000, above = 8000;
	struct dist_summary s;
	struct dist d;
	uint64_t i, j, q, sum;

	dist_init(&d);
	for (i = 0; i < n; i++) {
		j = i / 100;
		if (i % 100)
			dist_add(&d, 9303);
		else if (j % 5 == 0)
			dist_add(&d, 5000 + j / 5);
		else
			dist_add(&d, 10000 + j / 5 * 4 + j % 5 - 1);
	}
	dist_summarize(&d, &s);
	tap_ok(s.n == n && s.distinct == below + above + 1,
	       "million: n and distinct");
	tap_ok(d.cap <= 4 * s.distinct,
	       "million: table of %zu slots for %llu distinct values", d.cap,
	       (unsigned long long)s.distinct);
	tap_ok(s.mode == 9303 && s.mode_count * 100 == n * 99,
	       "million: mode 9303 holds exactly 99%%");
	tap_ok(s.min == 5000 && s.max == 17999, "million: min and max");
	tap_ok(s.p10 == 9303 && s.median == 9303 && s.p90 == 9303 &&
	       s.p99 == 9303 && s.mad == 0, "million: p10 to p99 and mad");

	sum = 990000ULL * 9303 + below * 5000 + below * (below - 1) / 2 +
	      above * 10000 + above * (above - 1) / 2;
	tap_ok(near(s.mean, (double)sum / n), "million: mean %.17g", s.mean);

	dist_quantile(&d, 0.001, &q);
	tap_eq_u64(q, 5999, "million: q=0.001 (rank 1000, below)");
	dist_quantile(&d, 0.0021, &q);
	tap_eq_u64(q, 9303, "million: q=0.0021 (rank 2100)");
	dist_quantile(&d, 0.995, &q);
	tap_eq_u64(q, 12999, "million: q=0.995 (3000th above)");
	dist_quantile(&d, 0.999, &q);
	tap_eq_u64(q, 16999, "million: q=0.999 (7000th above)");
	dist_free(&d);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank on a sorted array, with q given as per-mille. */
static uint64_t brute_rank(const uint64_t *sorted, size_t n, uint64_t pm)
{
	size_t r = (n * pm + 999) / 1000;

	return sorted[r ? r - 1 : 0];
}

static void brute_summary(uint64_t *x, size_t n, struct dist_summary *s)
{
	uint64_t *dev = malloc(n * sizeof(*dev));
	long double sum = 0;
	size_t i, run = 1;

	qsort(x, n, sizeof(*x), cmp_u64);
	*s = (struct dist_summary){ .n = n, .distinct = 1, .min = x[0],
				    .max = x[n - 1], .mode = x[0] };
	for (i = 0; i < n; i++) {
		sum += x[i];
		if (i && x[i] == x[i - 1]) {
			run++;
		} else {
			run = 1;
			s->distinct += !!i;
		}
		if (run > s->mode_count) {
			s->mode_count = run;
			s->mode = x[i];
		}
	}
	s->mean = (double)(sum / n);
	s->median = brute_rank(x, n, 500);
	s->p10 = brute_rank(x, n, 100);
	s->p90 = brute_rank(x, n, 900);
	s->p99 = brute_rank(x, n, 990);
	for (i = 0; i < n; i++)
		dev[i] = x[i] > s->median ? x[i] - s->median : s->median - x[i];
	qsort(dev, n, sizeof(*dev), cmp_u64);
	s->mad = brute_rank(dev, n, 500);
	free(dev);
}

static void test_brute(uint64_t seed, size_t n, enum shape shape)
{
	static const uint64_t pm[] = { 0, 1, 250, 333, 750, 999, 1000 };
	uint64_t *x = malloc(n * sizeof(*x)), q;
	struct dist_summary s, want;
	struct dist d;
	char what[64];
	bool same = true;
	size_t i;

	dist_init(&d);
	for (i = 0; i < n; i++) {
		x[i] = rng_sample(&seed, shape);
		dist_add(&d, x[i]);
	}
	brute_summary(x, n, &want);
	dist_summarize(&d, &s);
	snprintf(what, sizeof(what), "brute n=%zu %s", n,
		 shape == SHAPE_TINY ? "tiny" : "step");
	check_summary(&s, &want, what);

	for (i = 0; i < sizeof(pm) / sizeof(pm[0]); i++) {
		dist_quantile(&d, pm[i] / 1000.0, &q);
		if (q != brute_rank(x, n, pm[i]))
			same = false;
	}
	tap_ok(same, "%s: dist_quantile at 7 fractions", what);

	dist_quantile(&d, 0.99, &q);
	tap_eq_u64(q, s.p99, "dist_quantile(0.99) agrees with summary p99");
	free(x);
	dist_free(&d);
}

int main(void)
{
	test_empty();
	test_single();
	test_small();
	test_ties();
	test_extremes();
	test_quantile_args();
	test_growth();
	test_merge();
	test_million();
	test_brute(42, 20000, SHAPE_STEP);
	test_brute(7, 20001, SHAPE_STEP);
	test_brute(2024, 37, SHAPE_STEP);
	test_brute(99, 999, SHAPE_TINY);
	return tap_done();
}
