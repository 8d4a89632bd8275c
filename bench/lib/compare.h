/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Comparing reports: how far one run's per-step distribution lies from
 * another's, with a 95% interval, computed from the exact histograms the
 * reports carry.  B is compared against the reference A and every shift
 * is B - A.
 */
#ifndef STEPLAB_COMPARE_H
#define STEPLAB_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#define COMPARE_SCHEMA		"steplab-compare"
#define COMPARE_VERSION		"1.0"

/* Past this many distinct (a, b) pairs the exact interval gives way. */
#define COMPARE_MAX_PAIRS	4000000
#define COMPARE_REPLICATES	2000
#define COMPARE_SEED		0x5eed57e91abULL

/* One sample as distinct values, ascending, with their counts (all > 0). */
struct compare_hist {
	uint64_t *vals;
	uint64_t *counts;
	size_t k;
	uint64_t n;		/* sum of counts */
	bool truncated;		/* the report kept only the smallest values */
};

enum compare_method {
	COMPARE_NONE,		/* no histogram: medians only */
	COMPARE_HL,		/* exact Hodges-Lehmann, Mann-Whitney interval */
	COMPARE_BOOTSTRAP,	/* too many pairs: percentile bootstrap */
	COMPARE_BOOTSTRAP_TRUNCATED,	/* a histogram was cut short */
};

struct compare_shift {
	enum compare_method method;
	double shift;		/* the location shift B - A */
	double lo;		/* its 95% interval */
	double hi;
};

struct compare_opts {
	uint64_t max_pairs;	/* 0: COMPARE_MAX_PAIRS */
	unsigned int replicates;	/* 0: COMPARE_REPLICATES */
	uint64_t seed;
};

/* Name of @m as reports and the command line spell it. */
const char *compare_method_name(enum compare_method m);

/*
 * Reads a report distribution's "histogram" into @h (allocated; release
 * with compare_hist_free).  Returns 0, -ENOENT when @dist has no
 * histogram, -EINVAL when pairs are not ascending with positive counts,
 * -EOVERFLOW when the counts do not fit, or -ENOMEM.
 */
int compare_hist_from_json(const json_t *dist, struct compare_hist *h);
void compare_hist_free(struct compare_hist *h);

/*
 * Exact Hodges-Lehmann shift and its distribution-free interval from all
 * weighted pairwise differences.  Returns 0, -E2BIG when the distinct
 * pairs exceed @max_pairs, -ENODATA when a sample is empty, -EOVERFLOW
 * when m * n does not fit, or -ENOMEM.
 */
int compare_hl_shift(const struct compare_hist *a, const struct compare_hist *b,
		     uint64_t max_pairs, struct compare_shift *out);

/*
 * Percentile bootstrap of the difference of medians, resampling each
 * histogram with a fixed-seed generator: the same inputs and seed give
 * the same result.  Returns 0, -EINVAL for no replicates, -ENODATA or
 * -ENOMEM.
 */
int compare_bootstrap_shift(const struct compare_hist *a, const struct compare_hist *b,
			    unsigned int replicates, uint64_t seed,
			    struct compare_shift *out);

/*
 * The exact method when it is affordable and both histograms are whole,
 * the bootstrap otherwise.  @opts may be NULL for the defaults.
 */
int compare_shift_estimate(const struct compare_hist *a, const struct compare_hist *b,
			   const struct compare_opts *opts, struct compare_shift *out);

/*
 * Checks that every histogram in a validated report can be read, so that
 * a bad one is named by its field ("/classes/3/metrics/cycles/histogram/
 * pairs: ...") before any comparison.  Returns 0 or -errno.
 */
int compare_report_check(const json_t *doc, char *err, size_t len);

/*
 * 0 when two validated reports may be compared: same schema major and
 * same board.  Otherwise -EXDEV, and @err says what differs.
 */
int compare_check_compatible(const json_t *a, const json_t *b, char *err, size_t len);
/*
 * 0 when the runs' identities (identity.h) differ in at most one thing
 * besides the board; else -EXDEV and @err names every difference.
 */
int compare_check_identity(const json_t *a, const json_t *b, char *err, size_t len);
/* The one identity dimension @b differs from @a in, or "repeated runs". */
const char *compare_what(const json_t *a, const json_t *b);

/*
 * Appends to @rows one object per class present in both reports and per
 * metric present in both (the steps' metrics, then any completion_run's),
 * restricted to @metrics (NULL-terminated; NULL for all).  Each row holds
 * class, scope, metric, median_a, median_b, diff, ratio, hl_shift, ci_low,
 * ci_high, method, truncated, n_a, n_b.  Returns 0 or -errno with @err
 * naming the field.
 */
int compare_rows_build(const json_t *a, const json_t *b, const char *const *metrics,
		       const struct compare_opts *opts, json_t *rows,
		       char *err, size_t len);

#endif
