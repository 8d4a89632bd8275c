// SPDX-License-Identifier: GPL-2.0
/* Location shifts between two reports' exact distributions. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compare.h"
#include "lib/identity.h"
#include "lib/msg.h"

const char *compare_method_name(enum compare_method m)
{
	switch (m) {
	case COMPARE_HL:			return "hodges-lehmann";
	case COMPARE_BOOTSTRAP:			return "bootstrap";
	case COMPARE_BOOTSTRAP_TRUNCATED:	return "bootstrap-truncated";
	case COMPARE_NONE:			break;
	}
	return "none";
}

void compare_hist_free(struct compare_hist *h)
{
	free(h->vals);
	free(h->counts);
	memset(h, 0, sizeof(*h));
}

int compare_hist_from_json(const json_t *dist, struct compare_hist *h)
{
	const json_t *hist = json_object_get(dist, "histogram");
	const json_t *pairs = json_object_get(hist, "pairs"), *p;
	size_t i, k;

	memset(h, 0, sizeof(*h));
	if (!json_is_array(pairs))
		return -ENOENT;
	k = json_array_size(pairs);
	h->vals = calloc(k ? k : 1, sizeof(*h->vals));
	h->counts = calloc(k ? k : 1, sizeof(*h->counts));
	if (!h->vals || !h->counts) {
		compare_hist_free(h);
		return -ENOMEM;
	}
	json_array_foreach(pairs, i, p) {
		const json_t *v = json_array_get(p, 0), *c = json_array_get(p, 1);

		if (json_array_size(p) != 2 || !json_is_integer(v) || !json_is_integer(c) ||
		    json_integer_value(v) < 0 || json_integer_value(c) <= 0 ||
		    (i && (uint64_t)json_integer_value(v) <= h->vals[i - 1])) {
			compare_hist_free(h);
			return -EINVAL;
		}
		h->vals[i] = (uint64_t)json_integer_value(v);
		h->counts[i] = (uint64_t)json_integer_value(c);
		if (__builtin_add_overflow(h->n, h->counts[i], &h->n)) {
			compare_hist_free(h);
			return -EOVERFLOW;
		}
	}
	h->k = k;
	h->truncated = json_is_true(json_object_get(hist, "truncated"));
	return 0;
}

/* Differences are taken as int64_t, so values must stay below 2^63. */
static int hist_check(const struct compare_hist *h)
{
	if (!h->k || !h->n)
		return -ENODATA;
	if (h->vals[h->k - 1] > INT64_MAX)
		return -ERANGE;
	return 0;
}

struct pair_diff {
	int64_t d;
	uint64_t w;
};

static int pair_diff_cmp(const void *x, const void *y)
{
	const struct pair_diff *p = x, *q = y;

	return (p->d > q->d) - (p->d < q->d);
}

/* The @r-th smallest (1-based) of the differences, each repeated w times. */
static int64_t pair_diff_rank(const struct pair_diff *p, size_t np, uint64_t r)
{
	uint64_t cum = 0;
	size_t i;

	for (i = 0; i < np; i++) {
		cum += p[i].w;
		if (cum >= r)
			return p[i].d;
	}
	return p[np - 1].d;
}

/*
 * Hodges-Lehmann shift with its distribution-free interval (Hollander and
 * Wolfe, Nonparametric Statistical Methods, ch. 4).  With m samples a_i,
 * n samples b_j and the mn differences b_j - a_i in order D(1) <= ... <=
 * D(mn):
 *
 *	shift = median of the D (the mean of the two middle ones, mn even)
 *	C     = floor(mn/2 - 1.96 * sqrt(mn (m + n + 1) / 12)), at least 1
 *	95%   = [D(C), D(mn - C + 1)]
 *
 * C is the normal approximation to the Mann-Whitney statistic's 2.5%
 * point.  It leaves out the correction for ties; ties lower the
 * statistic's variance, so without it the interval is, if anything, wider
 * than 95% needs.  A pair of histogram entries (a, ca), (b, cb) stands for
 * ca * cb equal differences, so the ranks come from summed weights over
 * the k_a * k_b distinct pairs, never from the expanded samples.
 */
int compare_hl_shift(const struct compare_hist *a, const struct compare_hist *b,
		     uint64_t max_pairs, struct compare_shift *out)
{
	struct pair_diff *p;
	uint64_t mn, c = 1;
	long double half, spread;
	size_t np, i, j, x = 0;
	int ret;

	ret = hist_check(a) ?: hist_check(b);
	if (ret)
		return ret;
	if (__builtin_mul_overflow(a->k, b->k, &np) || np > max_pairs)
		return -E2BIG;
	if (__builtin_mul_overflow(a->n, b->n, &mn))
		return -EOVERFLOW;
	p = malloc(np * sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (i = 0; i < a->k; i++)
		for (j = 0; j < b->k; j++)
			p[x++] = (struct pair_diff) {
				.d = (int64_t)b->vals[j] - (int64_t)a->vals[i],
				.w = a->counts[i] * b->counts[j],
			};
	qsort(p, np, sizeof(*p), pair_diff_cmp);

	if (mn % 2)
		out->shift = (double)pair_diff_rank(p, np, mn / 2 + 1);
	else
		out->shift = ((double)pair_diff_rank(p, np, mn / 2) +
			      (double)pair_diff_rank(p, np, mn / 2 + 1)) / 2;
	half = (long double)mn / 2;
	spread = 1.96L * sqrtl((long double)mn * ((long double)a->n + b->n + 1) / 12);
	if (half - spread >= 1)
		c = (uint64_t)floorl(half - spread);
	out->lo = (double)pair_diff_rank(p, np, c);
	out->hi = (double)pair_diff_rank(p, np, mn - c + 1);
	out->method = COMPARE_HL;
	free(p);
	return 0;
}

/* xoshiro256**, seeded through splitmix64: small, fast, reproducible. */
struct rng {
	uint64_t s[4];
};

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static void rng_seed(struct rng *r, uint64_t seed)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		r->s[i] = z ^ (z >> 31);
	}
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* Uniform on the open interval (0, 1). */
static double rng_unit(struct rng *r)
{
	return ((double)(rng_next(r) >> 11) + 0.5) * 0x1p-53;
}

/* Standard normal, Marsaglia's polar method. */
static double rng_normal(struct rng *r)
{
	double u, v, s;

	do {
		u = 2 * rng_unit(r) - 1;
		v = 2 * rng_unit(r) - 1;
		s = u * u + v * v;
	} while (s >= 1);
	return u * sqrt(-2 * log(s) / s);
}

/* Gamma(@shape, 1) for @shape >= 1, Marsaglia and Tsang (2000). */
static double rng_gamma(struct rng *r, double shape)
{
	double d = shape - 1.0 / 3, c = 1 / sqrt(9 * d), x, v, u;

	for (;;) {
		do {
			x = rng_normal(r);
			v = 1 + c * x;
		} while (v <= 0);
		v = v * v * v;
		u = rng_unit(r);
		if (log(u) < 0.5 * x * x + d - d * v + d * log(v))
			return d * v;
	}
}

/* Cumulative counts of @h, for inverting its distribution function. */
static uint64_t *hist_cumulative(const struct compare_hist *h)
{
	uint64_t *cum = malloc(h->k * sizeof(*cum)), sum = 0;
	size_t i;

	if (!cum)
		return NULL;
	for (i = 0; i < h->k; i++)
		cum[i] = sum += h->counts[i];
	return cum;
}

/* The smallest value whose cumulative count reaches @target. */
static uint64_t hist_at(const struct compare_hist *h, const uint64_t *cum, double target)
{
	size_t lo = 0, hi = h->k - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((double)cum[mid] >= target)
			hi = mid;
		else
			lo = mid + 1;
	}
	return h->vals[lo];
}

/*
 * The median of a resample of @h, drawn directly.  Resampling n values
 * from the histogram is F^-1(U_i) for n uniforms, F^-1 is monotone, so
 * the resample's nearest-rank median, its r-th smallest with
 * r = ceil(n/2), is F^-1(U_(r)), and the r-th smallest of n uniforms is
 * Beta(r, n - r + 1).  One Beta draw instead of n lookups: the same
 * bootstrap distribution at a cost independent of the step count.
 */
static uint64_t hist_resample_median(const struct compare_hist *h, const uint64_t *cum,
				     struct rng *r)
{
	uint64_t rank = h->n / 2 + h->n % 2;
	double x = rng_gamma(r, (double)rank);
	double y = rng_gamma(r, (double)(h->n - rank + 1));

	return hist_at(h, cum, x / (x + y) * (double)h->n);
}

static int double_cmp(const void *x, const void *y)
{
	double p = *(const double *)x, q = *(const double *)y;

	return (p > q) - (p < q);
}

/* Percentile interval: the ceil(2.5% R)-th and ceil(97.5% R)-th replicates. */
static void bootstrap_interval(double *d, unsigned int reps, struct compare_shift *out)
{
	size_t lo = ((size_t)reps * 25 + 999) / 1000, hi = ((size_t)reps * 975 + 999) / 1000;

	qsort(d, reps, sizeof(*d), double_cmp);
	out->lo = d[lo ? lo - 1 : 0];
	out->hi = d[hi ? hi - 1 : 0];
}

int compare_bootstrap_shift(const struct compare_hist *a, const struct compare_hist *b,
			    unsigned int replicates, uint64_t seed,
			    struct compare_shift *out)
{
	uint64_t *cum_a = NULL, *cum_b = NULL;
	double *d = NULL;
	struct rng r;
	unsigned int i;
	int ret;

	if (!replicates)
		return -EINVAL;
	ret = hist_check(a) ?: hist_check(b);
	if (ret)
		return ret;
	ret = -ENOMEM;
	cum_a = hist_cumulative(a);
	cum_b = hist_cumulative(b);
	d = calloc(replicates, sizeof(*d));
	if (!cum_a || !cum_b || !d)
		goto err_free;

	rng_seed(&r, seed);
	for (i = 0; i < replicates; i++)
		d[i] = (double)hist_resample_median(b, cum_b, &r) -
		       (double)hist_resample_median(a, cum_a, &r);
	bootstrap_interval(d, replicates, out);
	out->shift = (double)hist_at(b, cum_b, (double)(b->n / 2 + b->n % 2)) -
		     (double)hist_at(a, cum_a, (double)(a->n / 2 + a->n % 2));
	out->method = COMPARE_BOOTSTRAP;
	ret = 0;
err_free:
	free(d);
	free(cum_b);
	free(cum_a);
	return ret;
}

int compare_shift_estimate(const struct compare_hist *a, const struct compare_hist *b,
			   const struct compare_opts *opts, struct compare_shift *out)
{
	uint64_t max_pairs = opts && opts->max_pairs ? opts->max_pairs : COMPARE_MAX_PAIRS;
	unsigned int reps = opts && opts->replicates ? opts->replicates : COMPARE_REPLICATES;
	uint64_t seed = opts ? opts->seed : COMPARE_SEED;
	int ret;

	if (!a->truncated && !b->truncated) {
		ret = compare_hl_shift(a, b, max_pairs, out);
		if (ret != -E2BIG && ret != -EOVERFLOW)
			return ret;
	}
	ret = compare_bootstrap_shift(a, b, reps, seed, out);
	if (!ret && (a->truncated || b->truncated))
		out->method = COMPARE_BOOTSTRAP_TRUNCATED;
	return ret;
}

static int schema_major(const json_t *doc)
{
	const char *ver = json_string_value(json_object_get(doc, "schema_version"));
	int major;

	return ver && sscanf(ver, "%d.", &major) == 1 ? major : -1;
}

static const char *doc_board(const json_t *doc)
{
	const char *s = json_string_value(json_object_get(json_object_get(doc, "context"),
							  "board"));

	return s ? s : "";
}

int compare_check_compatible(const json_t *a, const json_t *b, char *err, size_t len)
{
	if (schema_major(a) != schema_major(b)) {
		snprintf(err, len, "schema_version: '%s' vs '%s' (different major versions)",
			 json_string_value(json_object_get(a, "schema_version")),
			 json_string_value(json_object_get(b, "schema_version")));
		return -EXDEV;
	}
	if (strcmp(doc_board(a), doc_board(b))) {
		snprintf(err, len, "context.board: '%s' vs '%s' (different boards)",
			 doc_board(a), doc_board(b));
		return -EXDEV;
	}
	return compare_check_identity(a, b, err, len);
}

/* One dimension of the identity may differ: the one being compared. */
int compare_check_identity(const json_t *a, const json_t *b, char *err, size_t len)
{
	struct identity ia, ib;
	unsigned int mask;
	char text[768];

	identity_of(a, &ia);
	identity_of(b, &ib);
	mask = identity_diff(&ia, &ib) & ~(1u << ID_BOARD);
	if (!(mask & (mask - 1)))
		return 0;
	identity_diff_text(&ia, &ib, mask, text, sizeof(text));
	snprintf(err, len, "identity: the runs differ in more than one thing (%s): "
		 "their figures measure different things", text);
	msg_one_line(err, len);
	return -EXDEV;
}

const char *compare_what(const json_t *a, const json_t *b)
{
	struct identity ia, ib;
	unsigned int mask, d;

	identity_of(a, &ia);
	identity_of(b, &ib);
	mask = identity_diff(&ia, &ib);
	for (d = 0; d < ID_MAX; d++)
		if (mask & (1u << d))
			return identity_dim_name(d);
	return "repeated runs";
}

static const char *hist_reason(int ret)
{
	switch (ret) {
	case -EINVAL:		return "want ascending values with positive counts";
	case -EOVERFLOW:	return "counts overflow 64 bits";
	case -ENOMEM:		return "out of memory";
	}
	return strerror(-ret);
}

static int metrics_check(const json_t *metrics, const char *where, char *err, size_t len)
{
	struct compare_hist h;
	const char *name;
	json_t *dist;
	int ret;

	json_object_foreach((json_t *)metrics, name, dist) {
		ret = compare_hist_from_json(dist, &h);
		if (ret == -ENOENT)
			continue;
		if (ret) {
			snprintf(err, len, "%s/%s/histogram/pairs: %s", where, name, hist_reason(ret));
			return ret;
		}
		compare_hist_free(&h);
	}
	return 0;
}

int compare_report_check(const json_t *doc, char *err, size_t len)
{
	const json_t *cls;
	char where[64];
	size_t i;
	int ret;

	json_array_foreach(json_object_get(doc, "classes"), i, cls) {
		snprintf(where, sizeof(where), "/classes/%zu/metrics", i);
		ret = metrics_check(json_object_get(cls, "metrics"), where, err, len);
		if (ret)
			return ret;
		snprintf(where, sizeof(where), "/classes/%zu/completion_run", i);
		ret = metrics_check(json_object_get(cls, "completion_run"), where, err, len);
		if (ret)
			return ret;
	}
	return 0;
}

static bool metric_wanted(const char *const *metrics, const char *name)
{
	if (!metrics)
		return true;
	for (; *metrics; metrics++)
		if (!strcmp(*metrics, name))
			return true;
	return false;
}

static const json_t *class_find(const json_t *classes, const char *name)
{
	const json_t *cls;
	size_t i;

	json_array_foreach(classes, i, cls)
		if (!strcmp(json_string_value(json_object_get(cls, "class")) ?: "", name))
			return cls;
	return NULL;
}

static json_t *real_or_null(double v, bool have)
{
	return have ? json_real(v) : json_null();
}

/* The shift of @db against @da; no histogram on either side is no shift. */
static int dist_shift(const json_t *da, const json_t *db, const struct compare_opts *opts,
		      struct compare_shift *s, bool *truncated)
{
	struct compare_hist ha, hb;
	int ret;

	*s = (struct compare_shift) { .method = COMPARE_NONE };
	*truncated = false;
	ret = compare_hist_from_json(da, &ha);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	ret = compare_hist_from_json(db, &hb);
	if (ret) {
		compare_hist_free(&ha);
		return ret == -ENOENT ? 0 : ret;
	}
	*truncated = ha.truncated || hb.truncated;
	ret = compare_shift_estimate(&ha, &hb, opts, s);
	if (ret == -ENODATA) {
		s->method = COMPARE_NONE;
		ret = 0;
	}
	compare_hist_free(&hb);
	compare_hist_free(&ha);
	return ret;
}

static json_t *row_new(const char *cls, const char *scope, const char *metric,
		       const json_t *da, const json_t *db, const struct compare_shift *s,
		       bool truncated)
{
	json_int_t ma = json_integer_value(json_object_get(da, "median"));
	json_int_t mb = json_integer_value(json_object_get(db, "median"));
	bool have = s->method != COMPARE_NONE;

	return json_pack("{ss ss ss sI sI sI so so so so ss sb sI sI}",
			 "class", cls, "scope", scope, "metric", metric,
			 "median_a", ma, "median_b", mb, "diff", mb - ma,
			 "ratio", real_or_null(ma ? (double)mb / (double)ma : 0, ma != 0),
			 "hl_shift", real_or_null(s->shift, have),
			 "ci_low", real_or_null(s->lo, have),
			 "ci_high", real_or_null(s->hi, have),
			 "method", compare_method_name(s->method), "truncated", truncated,
			 "n_a", json_integer_value(json_object_get(da, "n")),
			 "n_b", json_integer_value(json_object_get(db, "n")));
}

static int scope_rows(const char *cls, const char *scope, const json_t *ma, const json_t *mb,
		      const char *const *metrics, const struct compare_opts *opts,
		      json_t *rows, char *err, size_t len)
{
	struct compare_shift s;
	const char *name;
	const json_t *db;
	json_t *da, *row;
	bool truncated;
	int ret;

	json_object_foreach((json_t *)ma, name, da) {
		db = json_object_get(mb, name);
		if (!db || !metric_wanted(metrics, name))
			continue;
		ret = dist_shift(da, db, opts, &s, &truncated);
		if (ret) {
			snprintf(err, len, "%s: %s %s: %s", cls, scope, name,
				 ret == -EINVAL ? hist_reason(ret) : strerror(-ret));
			return ret;
		}
		row = row_new(cls, scope, name, da, db, &s, truncated);
		if (!row || json_array_append_new(rows, row)) {
			snprintf(err, len, "%s: %s %s: out of memory", cls, scope, name);
			return -ENOMEM;
		}
	}
	return 0;
}

int compare_rows_build(const json_t *a, const json_t *b, const char *const *metrics,
		       const struct compare_opts *opts, json_t *rows,
		       char *err, size_t len)
{
	const json_t *ca, *cb, *classes_b = json_object_get(b, "classes");
	const char *name;
	size_t i;
	int ret;

	json_array_foreach(json_object_get(a, "classes"), i, ca) {
		name = json_string_value(json_object_get(ca, "class"));
		cb = name ? class_find(classes_b, name) : NULL;
		if (!cb)
			continue;
		ret = scope_rows(name, "steps", json_object_get(ca, "metrics"),
				 json_object_get(cb, "metrics"), metrics, opts, rows, err, len);
		if (ret)
			return ret;
		ret = scope_rows(name, "completion_run", json_object_get(ca, "completion_run"),
				 json_object_get(cb, "completion_run"), metrics, opts, rows,
				 err, len);
		if (ret)
			return ret;
	}
	return 0;
}
