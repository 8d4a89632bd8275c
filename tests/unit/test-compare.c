// SPDX-License-Identifier: GPL-2.0
/* Hodges-Lehmann shifts, the bootstrap fallback, and rows from real reports. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lib/compare.h"
#include "report/report.h"
#include "report-doc.h"
#include "tap.h"

#define EXAMPLE "results/examples/qemu-virt-debian-6.1.json"
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool example_valid;

static struct compare_hist hist(uint64_t *vals, uint64_t *counts, size_t k)
{
	struct compare_hist h = { .vals = vals, .counts = counts, .k = k };
	size_t i;

	for (i = 0; i < k; i++)
		h.n += counts[i];
	return h;
}

static bool shift_is(const struct compare_shift *s, double shift, double lo, double hi)
{
	return s->shift == shift && s->lo == lo && s->hi == hi;
}

/*
 * A = {1..5}, B = A + 10: the 25 differences run 6..14 with 10 in the
 * middle; C = floor(12.5 - 1.96 sqrt(25 * 11 / 12)) = 3, and the 3rd and
 * 23rd smallest differences are 7 and 13.
 */
static void test_hand(void)
{
	uint64_t a[] = { 1, 2, 3, 4, 5 }, b[] = { 11, 12, 13, 14, 15 };
	uint64_t ones[] = { 1, 1, 1, 1, 1 }, c[] = { 1, 2 }, d[] = { 3, 5 };
	struct compare_hist ha = hist(a, ones, 5), hb = hist(b, ones, 5);
	struct compare_shift s;
	int ret;

	ret = compare_hl_shift(&ha, &hb, COMPARE_MAX_PAIRS, &s);
	tap_ok(!ret && s.method == COMPARE_HL, "A={1..5}, B=A+10: exact method");
	tap_ok(s.shift == 10, "shift is exactly 10 (%g)", s.shift);
	tap_ok(s.lo == 7 && s.hi == 13, "interval is [7, 13] ([%g, %g])", s.lo, s.hi);
	tap_ok(s.lo <= 10 && 10 <= s.hi, "the interval holds the true shift");

	ret = compare_hl_shift(&ha, &ha, COMPARE_MAX_PAIRS, &s);
	tap_ok(!ret && s.shift == 0, "identical samples: shift 0 (%g)", s.shift);
	tap_ok(s.lo == -3 && s.hi == 3, "identical samples: interval [-3, 3] ([%g, %g])",
	       s.lo, s.hi);

	/* {3,5} - {1,2}: 1 2 3 4, an even count: (2 + 3) / 2; C < 1 gives 1. */
	ha = hist(c, ones, 2);
	hb = hist(d, ones, 2);
	ret = compare_hl_shift(&ha, &hb, COMPARE_MAX_PAIRS, &s);
	tap_ok(!ret && s.shift == 2.5, "even number of differences: the middle two averaged (%g)",
	       s.shift);
	tap_ok(s.lo == 1 && s.hi == 4, "tiny samples: the interval spans all differences");

	hb = hist(b, ones, 5);
	tap_ok(compare_hl_shift(&ha, &hb, 9, &s) == -E2BIG, "past max_pairs: -E2BIG");
	ha.k = 0;
	tap_ok(compare_hl_shift(&ha, &hb, COMPARE_MAX_PAIRS, &s) == -ENODATA,
	       "an empty sample: -ENODATA");
}

/* A histogram with counts is the expanded sample, exactly. */
static void test_weights(void)
{
	uint64_t av[] = { 1, 4, 9 }, ac[] = { 3, 2, 1 }, bv[] = { 2, 5, 7 }, bc[] = { 1, 4, 2 };
	uint64_t ax[] = { 1, 1, 1, 4, 4, 9 }, bx[] = { 2, 5, 5, 5, 5, 7, 7 };
	uint64_t ones[] = { 1, 1, 1, 1, 1, 1, 1 };
	struct compare_hist ha = hist(av, ac, 3), hb = hist(bv, bc, 3);
	struct compare_hist ea = hist(ax, ones, 6), eb = hist(bx, ones, 7);
	struct compare_shift w, e;

	/* the expanded form repeats values; ranks do not mind */
	tap_ok(!compare_hl_shift(&ha, &hb, COMPARE_MAX_PAIRS, &w) &&
	       !compare_hl_shift(&ea, &eb, COMPARE_MAX_PAIRS, &e), "weighted and expanded both run");
	tap_ok(w.shift == e.shift, "weighted shift equals the expanded one (%g, %g)",
	       w.shift, e.shift);
	tap_ok(w.lo == e.lo && w.hi == e.hi, "weighted interval equals the expanded one "
	       "([%g, %g], [%g, %g])", w.lo, w.hi, e.lo, e.hi);
}

/* Like a real class: 99% on one value, a few outliers either side. */
static void test_mode_heavy(void)
{
	uint64_t av[] = { 1000, 1500, 5000 }, ac[] = { 990, 5, 5 };
	uint64_t bv[] = { 900, 1200, 9000 }, bc[] = { 3, 990, 7 };
	struct compare_hist ha = hist(av, ac, 3), hb = hist(bv, bc, 3);
	struct compare_shift s;

	tap_ok(!compare_shift_estimate(&ha, &hb, NULL, &s) && s.method == COMPARE_HL,
	       "mode-heavy: exact method by default");
	tap_ok(s.shift == 200, "mode-heavy: the shift is the mode difference (%g)", s.shift);
	tap_ok(s.lo == 200 && s.hi == 200, "mode-heavy: interval [200, 200] ([%g, %g])",
	       s.lo, s.hi);
}

static void test_bootstrap(void)
{
	static uint64_t av[200], ac[200], bv[200], bc[200];
	struct compare_opts force = { .max_pairs = 1, .seed = COMPARE_SEED };
	struct compare_hist ha, hb;
	struct compare_shift hl, b1, b2, b3;
	unsigned int i;
	int ret;

	/* a smooth, lumpy sample and its copy shifted by 10 */
	for (i = 0; i < 200; i++) {
		av[i] = 1000 + i;
		ac[i] = 1 + (i * 7) % 5;
		bv[i] = av[i] + 10;
		bc[i] = ac[i];
	}
	ha = hist(av, ac, 200);
	hb = hist(bv, bc, 200);
	ret = compare_shift_estimate(&ha, &hb, NULL, &hl);
	tap_ok(!ret && hl.method == COMPARE_HL && hl.shift == 10,
	       "HL on a smooth shifted copy: 10 (%g [%g, %g])", hl.shift, hl.lo, hl.hi);
	ret = compare_shift_estimate(&ha, &hb, &force, &b1);
	tap_ok(!ret && b1.method == COMPARE_BOOTSTRAP, "too many pairs: the bootstrap is used");
	ret = compare_shift_estimate(&ha, &hb, &force, &b2);
	tap_ok(!ret && shift_is(&b2, b1.shift, b1.lo, b1.hi),
	       "the bootstrap is deterministic (%g [%g, %g] twice)", b1.shift, b1.lo, b1.hi);
	ret = compare_bootstrap_shift(&ha, &hb, COMPARE_REPLICATES, COMPARE_SEED, &b3);
	tap_ok(!ret && shift_is(&b3, b1.shift, b1.lo, b1.hi),
	       "the default seed is the documented one");
	tap_ok(b1.shift == 10 && b1.lo <= 10 && 10 <= b1.hi,
	       "bootstrap: shift 10 inside its interval [%g, %g]", b1.lo, b1.hi);
	tap_ok(fabs(b1.lo - hl.lo) <= 8 && fabs(b1.hi - hl.hi) <= 8,
	       "bootstrap interval close to HL's ([%g, %g] vs [%g, %g])",
	       b1.lo, b1.hi, hl.lo, hl.hi);

	hb.truncated = true;
	ret = compare_shift_estimate(&ha, &hb, NULL, &b3);
	tap_ok(!ret && b3.method == COMPARE_BOOTSTRAP_TRUNCATED,
	       "a truncated histogram: bootstrap, and it says so (%s)",
	       compare_method_name(b3.method));
	tap_ok(compare_bootstrap_shift(&ha, &hb, 0, 1, &b3) == -EINVAL,
	       "no replicates: -EINVAL");

	/* mode-heavy distributions: resampled medians stay on the modes */
	{
		uint64_t mv[] = { 1000, 1500 }, mc[] = { 990, 10 };
		uint64_t nv[] = { 1200, 1700 }, nc[] = { 990, 10 };

		ha = hist(mv, mc, 2);
		hb = hist(nv, nc, 2);
		tap_ok(!compare_bootstrap_shift(&ha, &hb, COMPARE_REPLICATES, COMPARE_SEED, &b3) &&
		       shift_is(&b3, 200, 200, 200), "mode-heavy bootstrap: 200 [200, 200]");
	}
}

static void test_hist_json(void)
{
	struct compare_hist h;
	json_t *d;

	d = json_loads("{\"histogram\": {\"pairs\": [[3, 2], [7, 5]], \"truncated\": true}}",
		       0, NULL);
	tap_ok(!compare_hist_from_json(d, &h) && h.k == 2 && h.n == 7 && h.truncated &&
	       h.vals[1] == 7 && h.counts[1] == 5, "histogram read from JSON");
	compare_hist_free(&h);
	json_decref(d);
	d = json_loads("{\"histogram\": {\"pairs\": [[7, 2], [3, 5]], \"truncated\": false}}",
		       0, NULL);
	tap_ok(compare_hist_from_json(d, &h) == -EINVAL, "descending pairs: -EINVAL");
	json_decref(d);
	d = json_loads("{\"median\": 3}", 0, NULL);
	tap_ok(compare_hist_from_json(d, &h) == -ENOENT, "no histogram: -ENOENT");
	json_decref(d);
}

/*
 * Reports written before histograms carry none: give such a distribution
 * the three-point histogram its summary implies (min, mode, max), so the
 * rows below exercise the intervals either way.
 */
static void dist_fill_histogram(json_t *dist)
{
	json_int_t n = json_integer_value(json_object_get(dist, "n"));
	json_int_t lo = json_integer_value(json_object_get(dist, "min"));
	json_int_t mode = json_integer_value(json_object_get(dist, "mode"));
	json_int_t hi = json_integer_value(json_object_get(dist, "max"));
	json_int_t rest = n - (lo < mode) - (hi > mode);
	json_t *pairs;

	if (json_object_get(dist, "histogram"))
		return;
	pairs = json_array();
	if (rest < 1)
		lo = hi = mode, rest = n;
	if (lo < mode)
		json_array_append_new(pairs, json_pack("[II]", lo, (json_int_t)1));
	json_array_append_new(pairs, json_pack("[II]", mode, rest));
	if (hi > mode)
		json_array_append_new(pairs, json_pack("[II]", hi, (json_int_t)1));
	json_object_set_new(dist, "histogram", json_pack("{so sb}", "pairs", pairs,
							 "truncated", 0));
}

static int doc_fill_histograms(json_t *doc)
{
	const char *name;
	json_t *cls, *dist;
	size_t i;
	int filled = 0;

	json_array_foreach(json_object_get(doc, "classes"), i, cls) {
		json_object_foreach(json_object_get(cls, "metrics"), name, dist) {
			filled += !json_object_get(dist, "histogram");
			dist_fill_histogram(dist);
		}
		json_object_foreach(json_object_get(cls, "completion_run"), name, dist) {
			filled += !json_object_get(dist, "histogram");
			dist_fill_histogram(dist);
		}
	}
	return filled;
}

/* Every value of one distribution, and its histogram, moved by @by. */
static void dist_shift(json_t *dist, json_int_t by)
{
	static const char *const keys[] = { "min", "p10", "median", "p90", "p99", "max", "mode" };
	json_t *pair;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		json_object_set_new(dist, keys[i], json_integer(
			json_integer_value(json_object_get(dist, keys[i])) + by));
	json_array_foreach(json_object_get(json_object_get(dist, "histogram"), "pairs"), i, pair)
		json_array_set_new(pair, 0, json_integer(json_integer_value(json_array_get(pair, 0)) + by));
}

static double row_num(const json_t *row, const char *key)
{
	return json_number_value(json_object_get(row, key));
}

static void test_rows_self(json_t *doc)
{
	json_t *rows = json_array(), *row;
	char err[256] = "";
	size_t i, want = 0, cycles = 0;
	bool diffs = true, ratios = true, shifts = true;
	int ret;

	json_array_foreach(json_object_get(doc, "classes"), i, row) {
		want += json_object_size(json_object_get(row, "metrics"));
		want += json_object_size(json_object_get(row, "completion_run"));
		cycles += !!json_object_get(json_object_get(row, "metrics"), "cycles");
		cycles += !!json_object_get(json_object_get(row, "completion_run"), "cycles");
	}
	ret = compare_rows_build(doc, doc, NULL, NULL, rows, err, sizeof(err));
	tap_ok(!ret, "rows of the example against itself");
	if (ret)
		tap_diag("%s", err);
	tap_eq_u64(json_array_size(rows), want, "one row per class, scope and metric");
	json_array_foreach(rows, i, row) {
		diffs &= row_num(row, "diff") == 0;
		ratios &= json_is_null(json_object_get(row, "ratio")) ?
			  row_num(row, "median_a") == 0 : row_num(row, "ratio") == 1;
		shifts &= !strcmp(json_string_value(json_object_get(row, "method")),
				  "hodges-lehmann") &&
			  row_num(row, "hl_shift") == 0 && row_num(row, "ci_low") <= 0 &&
			  row_num(row, "ci_high") >= 0;
	}
	tap_ok(diffs, "against itself: every diff is 0");
	tap_ok(ratios, "against itself: every ratio is 1 (null where the median is 0)");
	tap_ok(shifts, "against itself: every HL shift is 0 inside its interval");
	json_decref(rows);

	rows = json_array();
	ret = compare_rows_build(doc, doc, (const char *const[]) { "cycles", NULL }, NULL,
				 rows, err, sizeof(err));
	tap_ok(!ret && json_array_size(rows) == cycles,
	       "--metric cycles: one row per class and scope (%zu)", cycles);
	json_decref(rows);
}

static void test_rows_shifted(json_t *doc)
{
	json_t *copy = json_deep_copy(doc), *rows = json_array(), *row, *hit = NULL;
	char err[512] = "";
	bool others = true;
	size_t i;
	int ret;

	dist_shift(json_object_get(json_object_get(class_get(copy, "sysreg"), "metrics"),
				   "host_instructions"), 100);
	if (example_valid) {
		ret = report_validate(copy, err, sizeof(err));
		tap_ok(!ret, "the shifted copy validates");
		if (ret)
			tap_diag("%s", err);
	} else {
		tap_ok(0, "the shifted copy validates: the example itself does not");
	}
	ret = compare_rows_build(doc, copy, NULL, NULL, rows, err, sizeof(err));
	tap_ok(!ret, "rows of the example against the shifted copy");
	if (ret)
		tap_diag("%s", err);
	json_array_foreach(rows, i, row) {
		if (!strcmp(json_string_value(json_object_get(row, "class")), "sysreg") &&
		    !strcmp(json_string_value(json_object_get(row, "scope")), "steps") &&
		    !strcmp(json_string_value(json_object_get(row, "metric")), "host_instructions"))
			hit = row;
		else
			others &= row_num(row, "diff") == 0 && row_num(row, "hl_shift") == 0;
	}
	tap_ok(hit && row_num(hit, "diff") == 100, "sysreg host_instructions: diff 100");
	tap_ok(hit && row_num(hit, "hl_shift") == 100, "sysreg host_instructions: HL shift 100");
	tap_ok(hit && row_num(hit, "ci_low") == 100 && row_num(hit, "ci_high") == 100,
	       "sysreg host_instructions: interval [100, 100]");
	tap_ok(hit && fabs(row_num(hit, "ratio") - (row_num(hit, "median_a") + 100) /
			   row_num(hit, "median_a")) < 1e-12, "sysreg host_instructions: ratio");
	tap_ok(others, "every other row: diff 0, shift 0");
	json_decref(rows);
	json_decref(copy);
}

/* Completion runs compare under their own scope; older reports have none. */
static void test_rows_completion(json_t *doc)
{
	json_t *a = json_deep_copy(doc), *b, *cls = class_get(a, "mmio_read");
	json_t *rows = json_array(), *row, *hit = NULL;
	char err[512] = "";
	size_t i;

	if (!json_object_get(cls, "completion_run"))
		json_object_set_new(cls, "completion_run",
				    json_deep_copy(json_object_get(cls, "metrics")));
	b = json_deep_copy(a);
	dist_shift(json_object_get(json_object_get(class_get(b, "mmio_read"), "completion_run"),
				   "host_instructions"), 7);
	if (!compare_rows_build(a, b, NULL, NULL, rows, err, sizeof(err)))
		json_array_foreach(rows, i, row)
			if (!strcmp(json_string_value(json_object_get(row, "scope")), "completion_run") &&
			    !strcmp(json_string_value(json_object_get(row, "class")), "mmio_read") &&
			    !strcmp(json_string_value(json_object_get(row, "metric")), "host_instructions"))
				hit = row;
	tap_ok(hit && row_num(hit, "diff") == 7 && row_num(hit, "hl_shift") == 7,
	       "completion_run rows carry their scope and their own shift");
	json_decref(rows);
	json_decref(b);
	json_decref(a);
}

static void test_compatible(json_t *doc)
{
	json_t *copy = json_deep_copy(doc);
	char err[256] = "";
	int ret;

	ret = compare_check_compatible(doc, copy, err, sizeof(err));
	tap_ok(!ret, "a report is comparable to itself");
	json_object_set_new(json_object_get(copy, "context"), "board", json_string("rpi5"));
	ret = compare_check_compatible(doc, copy, err, sizeof(err));
	tap_ok(ret == -EXDEV && strstr(err, "'qemu-virt'") && strstr(err, "'rpi5'"),
	       "different boards: -EXDEV naming both (%s)", err);
	json_object_set_new(copy, "schema_version", json_string("2.0"));
	ret = compare_check_compatible(doc, copy, err, sizeof(err));
	tap_ok(ret == -EXDEV && strstr(err, "schema_version"),
	       "different schema majors: -EXDEV (%s)", err);
	json_decref(copy);
}

int main(void)
{
	char err[512] = "";
	json_t *doc = NULL;
	int filled, ret;

	test_hand();
	test_weights();
	test_mode_heavy();
	test_bootstrap();
	test_hist_json();

	ret = report_load(EXAMPLE, &doc, err, sizeof(err));
	tap_ok(!ret, "the example report loads");
	if (ret)
		tap_diag("%s", err);
	/* tests/cli/cli.sh fails when it does not; the rows need no schema */
	example_valid = !ret && !report_validate(doc, err, sizeof(err));
	tap_ok(example_valid, "the example report validates%s%s", example_valid ? "" : ": ",
	       example_valid ? "" : err);
	if (doc) {
		filled = doc_fill_histograms(doc);
		if (filled)
			tap_diag("%d distributions had no histogram: using min/mode/max", filled);
		test_rows_self(doc);
		test_rows_shifted(doc);
		test_rows_completion(doc);
		test_compatible(doc);
		json_decref(doc);
	}
	return tap_done();
}
