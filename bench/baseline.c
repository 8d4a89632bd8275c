// SPDX-License-Identifier: GPL-2.0
/* Baselines of exact modes, and the check of a report against one. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "msg.h"

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

	if (!json_is_true(json_object_get(json_object_get(report, "summary"), "conforming"))) {
		snprintf(err, len, "summary.conforming: the report is not a complete, conforming run");
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
		json_object_set_new(classes, json_string_value(json_object_get(cls, "class")), modes);
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

static int check_class(const char *name, const json_t *modes, const json_t *cls,
		       double min_frac, FILE *out)
{
	char text[128];
	const char *metric;
	json_t *want;
	int bad = 0;

	if (!cls) {
		fprintf(out, "%s: in the baseline, not in the report\n", name);
		return 1;
	}
	json_object_foreach((json_t *)modes, metric, want) {
		json_t *m = json_object_get(json_object_get(cls, "metrics"), metric);
		json_int_t got = json_integer_value(json_object_get(m, "mode"));
		/* where host interrupts were counted, judge the steps they spared */
		json_t *q = json_object_get(m, "quiet");
		double frac = json_number_value(json_object_get(q ? q : m, "mode_fraction"));

		if (!m) {
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
	const char *schema = json_string_value(json_object_get(baseline, "schema"));
	const char *key;
	json_t *modes, *classes = json_object_get(baseline, "classes");
	double min_frac;
	int bad = 0;
	/* kvm_mode: in baselines of schema_version 1.1 and later */
	static const char *const ident[] = { "board", "kernel_release", "kernel_version",
					     "kvm_mode" };
	unsigned int i;

	if (!schema || strcmp(schema, BASELINE_SCHEMA) || !json_is_object(classes)) {
		snprintf(err, len, "schema: not a %s file (or no classes)", BASELINE_SCHEMA);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(ident) / sizeof(ident[0]); i++) {
		const char *field = ident[i];
		const char *want = json_string_value(json_object_get(baseline, field));

		if (!want && i == 3)
			continue;
		if (!want || strcmp(want, ctx_str(report, field))) {
			snprintf(err, len, "%s: baseline is for '%s', report is from '%s'",
				 field, want ? want : "", ctx_str(report, field));
			msg_one_line(err, len);
			return -ESRCH;
		}
	}
	min_frac = min_share >= 0 ? min_share :
		   json_number_value(json_object_get(baseline, "min_mode_fraction"));
	json_object_foreach(classes, key, modes)
		bad += out ? check_class(key, modes, report_class(report, key), min_frac, out) : 0;
	return bad;
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
