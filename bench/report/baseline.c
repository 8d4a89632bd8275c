// SPDX-License-Identifier: GPL-2.0
/* Baselines of exact modes, and the check of a report against one. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/msg.h"
#include "report/baseline.h"

/* The metrics whose modes are exact on the emulated board. */
static const char *const exact_metrics[] = {
	"host_instructions", "guest_instructions", "entries", "kvm_exits", "runs",
};
#define NEXACT (sizeof(exact_metrics) / sizeof(exact_metrics[0]))

static const char *ctx_str(const json_t *report, const char *key)
{
	const char *s = json_string_value(json_object_get(
				json_object_get(report, "context"), key));

	return s ? s : "";
}

/*
 * The share of uninterrupted steps each class must keep on its mode: 0.99
 * where the recorded run gave at least 99.5% everywhere, else three points
 * under the lowest share it gave (some kernels, PREEMPT builds among them,
 * put a few percent of steps on other paths without any interrupt).
 */
static double min_fraction(const json_t *report)
{
	double low = 1.0, f;
	json_t *cls, *m;
	size_t i;

	json_array_foreach(json_object_get(report, "classes"), i, cls) {
		m = json_object_get(json_object_get(cls, "metrics"), "host_instructions");
		m = json_object_get(m, "quiet") ? json_object_get(m, "quiet") : m;
		f = json_number_value(json_object_get(m, "mode_fraction"));
		if (m && f < low)
			low = f;
	}
	if (low >= 0.995)
		return BASELINE_MIN_MODE_FRACTION;
	f = (double)(long)((low - 0.03) * 100) / 100;
	return f < BASELINE_MIN_MODE_FRACTION ? f : BASELINE_MIN_MODE_FRACTION;
}

json_t *baseline_make(const json_t *report, char *err, size_t len)
{
	json_t *classes = json_object(), *cls, *base;
	size_t i, k;

	/*
	 * The modes come from plain steps; a kernel whose only divergences are
	 * known ones (on other re-entry paths) still has exact ones, and so
	 * does a run that could not count guest instructions (unproven: the
	 * baseline then has no guest_instructions mode).
	 */
	const json_t *sum = json_object_get(report, "summary");
	const char *verdict = json_string_value(json_object_get(sum, "verdict"));

	if (!json_is_true(json_object_get(sum, "conforming")) &&
	    !(verdict && (!strcmp(verdict, "known divergences") || !strcmp(verdict, "unproven")) &&
	      !strcmp(json_string_value(json_object_get(report, "status")) ?: "", "complete"))) {
		snprintf(err, len, "summary.conforming: the report is not a complete, conforming run "
			 "(nor one whose only divergences are known, nor an unproven one)");
		json_decref(classes);
		return NULL;
	}
	json_array_foreach(json_object_get(report, "classes"), i, cls) {
		json_t *metrics = json_object_get(cls, "metrics"), *modes = json_object();

		for (k = 0; k < NEXACT; k++) {
			json_t *m = json_object_get(metrics, exact_metrics[k]);

			if (m)
				json_object_set(modes, exact_metrics[k], json_object_get(m, "mode"));
		}
		if (!json_object_size(modes)) {
			snprintf(err, len, "classes/%zu: no exact metric measured", i);
			json_decref(modes);
			json_decref(classes);
			return NULL;
		}
		json_object_set_new(classes, json_string_value(json_object_get(cls, "class")), modes);
	}
	if (!json_object_size(classes)) {
		snprintf(err, len, "classes: the report measured no class: a baseline would check nothing");
		json_decref(classes);
		return NULL;
	}
	base = json_pack("{ss ss ss ss ss ss sf so}", "schema", BASELINE_SCHEMA,
			 "schema_version", "1.1", "board", ctx_str(report, "board"),
			 "kvm_mode", ctx_str(report, "kvm_mode"),
			 "kernel_release", ctx_str(report, "kernel_release"),
			 "kernel_version", ctx_str(report, "kernel_version"),
			 "min_mode_fraction", min_fraction(report),
			 "classes", classes);
	if (!base)
		snprintf(err, len, "out of memory");
	return base;
}

static const json_t *report_class(const json_t *report, const char *name)
{
	json_t *cls;
	size_t i;

	json_array_foreach(json_object_get(report, "classes"), i, cls)
		if (!strcmp(json_string_value(json_object_get(cls, "class")) ?: "", name))
			return cls;
	return NULL;
}

/*
 * A baseline mode is a count, or a list of the counts a kernel gives from
 * one boot to the next (some kernels' paths differ by a few instructions
 * between boots, every step of a boot alike).
 */
static bool mode_expected(const json_t *want, json_int_t got)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(want))
		return json_integer_value(want) == got;
	json_array_foreach(want, i, v)
		if (json_integer_value(v) == got)
			return true;
	return false;
}

static const char *modes_text(const json_t *want, char *buf, size_t len)
{
	const json_t *v;
	size_t i, n = 0;

	if (!json_is_array(want)) {
		snprintf(buf, len, "%lld", (long long)json_integer_value(want));
		return buf;
	}
	buf[0] = '\0';
	json_array_foreach(want, i, v)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%lld", i ? " or " : "",
			      (long long)json_integer_value(v));
	return buf;
}

/* Modes that belong to one kernel build: another build of the kernel moves them. */
static const char *const build_metrics[] = { "host_instructions" };

static bool metric_skipped(const char *metric, const struct baseline_opts *o)
{
	size_t i;

	if (o->other_build)
		for (i = 0; i < sizeof(build_metrics) / sizeof(build_metrics[0]); i++)
			if (!strcmp(metric, build_metrics[i]))
				return true;
	for (i = 0; o->ignore && o->ignore[i]; i++)
		if (!strcmp(metric, o->ignore[i]))
			return true;
	return false;
}

static int check_class(const char *name, const json_t *modes, const json_t *cls,
		       double min_frac, const struct baseline_opts *o, FILE *out)
{
	char text[128];
	const char *metric;
	json_t *want;
	int bad = 0;

	if (!cls) {
		fprintf(out, "%s: in the baseline, not in the report\n", name);
		return 1;
	}
	if (!json_is_object(modes) || !json_object_size(modes)) {
		fprintf(out, "%s: the baseline names no metric for it\n", name);
		return 1;
	}
	json_object_foreach((json_t *)modes, metric, want) {
		json_t *m = json_object_get(json_object_get(cls, "metrics"), metric);
		json_int_t got = json_integer_value(json_object_get(m, "mode"));
		/* where host interrupts were counted, judge the steps they spared */
		json_t *q = json_object_get(m, "quiet");
		double frac = json_number_value(json_object_get(q ? q : m, "mode_fraction"));

		if (metric_skipped(metric, o)) {
			continue;
		} else if (!m) {
			fprintf(out, "%s.%s: in the baseline, not measured in the report\n",
				name, metric);
			bad++;
		} else if (!mode_expected(want, got)) {
			fprintf(out, "%s.%s: mode %lld, baseline %s\n", name, metric,
				(long long)got, modes_text(want, text, sizeof(text)));
			bad++;
		} else if (frac < min_frac) {
			fprintf(out, "%s.%s: only %.2f%% of %ssteps on the mode %lld (need %.0f%%)\n",
				name, metric, 100 * frac, q ? "uninterrupted " : "",
				(long long)got, 100 * min_frac);
			bad++;
		}
	}
	return bad;
}

int baseline_check(const json_t *baseline, const json_t *report, FILE *out,
		   char *err, size_t len)
{
	return baseline_check_share(baseline, report, out, -1, err, len);
}

int baseline_check_share(const json_t *baseline, const json_t *report, FILE *out,
			 double min_share, char *err, size_t len)
{
	const struct baseline_opts o = { .min_share = min_share };

	return baseline_check_opts(baseline, report, out, &o, err, len);
}

/*
 * The baseline names the report's board and kernel build.  A baseline of
 * another build of the kernel (o->other_build) only has to name the board:
 * the difference is printed, and only modes no build moves are checked.
 */
static int check_ident(const json_t *baseline, const json_t *report,
		       const struct baseline_opts *o, FILE *out, char *err, size_t len)
{
	/* kvm_mode: in baselines of schema_version 1.1 and later */
	static const char *const ident[] = { "board", "kernel_release", "kernel_version",
					     "kvm_mode" };
	unsigned int i;

	for (i = 0; i < sizeof(ident) / sizeof(ident[0]); i++) {
		const char *field = ident[i];
		const char *want = json_string_value(json_object_get(baseline, field));

		if ((want && !strcmp(want, ctx_str(report, field))) || (!want && i == 3))
			continue;
		snprintf(err, len, "%s: baseline is for '%s', report is from '%s'",
			 field, want ? want : "", ctx_str(report, field));
		msg_one_line(err, len);
		/* another build: the same board and mode, a moved kernel */
		if (!o->other_build || !i || i == 3)
			return -ESRCH;
		if (out)
			fprintf(out, "%s\n", err);
	}
	err[0] = '\0';
	return 0;
}

/* Every class the report measured must be in the baseline. */
static int check_unlisted(const json_t *classes, const json_t *report, FILE *out)
{
	const char *name;
	json_t *cls;
	size_t i;
	int bad = 0;

	json_array_foreach(json_object_get(report, "classes"), i, cls) {
		name = json_string_value(json_object_get(cls, "class"));
		if (name && !json_object_get(classes, name)) {
			fprintf(out, "%s: in the report, not in the baseline\n", name);
			bad++;
		}
	}
	return bad;
}

int baseline_check_opts(const json_t *baseline, const json_t *report, FILE *out,
			const struct baseline_opts *o, char *err, size_t len)
{
	const char *schema = json_string_value(json_object_get(baseline, "schema"));
	const char *key;
	json_t *modes, *classes = json_object_get(baseline, "classes");
	double min_frac;
	int bad = 0, ret;

	if (!schema || strcmp(schema, BASELINE_SCHEMA) || !json_is_object(classes)) {
		snprintf(err, len, "schema: not a %s file (or no classes)", BASELINE_SCHEMA);
		return -EINVAL;
	}
	if (!json_object_size(classes)) {
		snprintf(err, len, "classes: the baseline names no class, so it checks nothing");
		return -EINVAL;
	}
	ret = check_ident(baseline, report, o, out, err, len);
	if (ret)
		return ret;
	min_frac = o->min_share >= 0 ? o->min_share :
		   json_number_value(json_object_get(baseline, "min_mode_fraction"));
	json_object_foreach(classes, key, modes)
		bad += out ? check_class(key, modes, report_class(report, key), min_frac, o, out) : 0;
	return bad + (out ? check_unlisted(classes, report, out) : 0);
}

static void modes_range(const json_t *want, json_int_t *lo, json_int_t *hi)
{
	const json_t *v;
	size_t i;

	if (!json_is_array(want)) {
		*lo = *hi = json_integer_value(want);
		return;
	}
	json_array_foreach(want, i, v) {
		if (!i || json_integer_value(v) < *lo)
			*lo = json_integer_value(v);
		if (!i || json_integer_value(v) > *hi)
			*hi = json_integer_value(v);
	}
}

int baseline_spread(json_t *base, json_t *const *reports, size_t n, const char *const *names,
		    char *err, size_t len)
{
	json_t *classes = json_object_get(base, "classes"), *modes, *spread = json_object();
	const char *key;
	json_int_t lo = 0, hi = 0, got;
	size_t r;
	int ret;

	for (r = 0; r < n; r++) {
		ret = baseline_check_share(base, reports[r], NULL, 0, err, len);
		if (ret == -EINVAL || ret == -ESRCH) {
			char why[512];

			snprintf(why, sizeof(why), "%s: %s", names[r], err);
			snprintf(err, len, "%s", why);
			json_decref(spread);
			return ret;
		}
	}
	json_object_foreach(classes, key, modes) {
		if (!json_object_get(modes, "host_instructions"))
			continue;
		modes_range(json_object_get(modes, "host_instructions"), &lo, &hi);
		for (r = 0; r < n; r++) {
			const json_t *m = json_object_get(json_object_get(
				report_class(reports[r], key), "metrics"), "host_instructions");

			if (!m)
				continue;
			got = json_integer_value(json_object_get(m, "mode"));
			lo = got < lo ? got : lo;
			hi = got > hi ? got : hi;
		}
		json_object_set_new(spread, key, json_integer(hi - lo));
	}
	json_object_set_new(base, "boot_spread", spread);
	json_object_set_new(base, "boot_spread_boots", json_integer((json_int_t)n + 1));
	if (!json_object_get(base, "kvm_mode") && n)
		json_object_set_new(base, "kvm_mode", json_string(ctx_str(reports[0], "kvm_mode")));
	return 0;
}
