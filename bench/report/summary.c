// SPDX-License-Identifier: GPL-2.0
/* A report's summary table, as run, stress and report summary print it. */
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "report/summary.h"

static const json_t *metric(const json_t *cls, const char *name)
{
	return json_object_get(json_object_get(cls, "metrics"), name);
}

static void put_mode(const json_t *m, FILE *f)
{
	char buf[48];

	if (!m) {
		fprintf(f, " %16s", "-");
		return;
	}
	snprintf(buf, sizeof(buf), "%lld (%.1f%%)",
		 (long long)json_integer_value(json_object_get(m, "mode")),
		 100 * json_number_value(json_object_get(m, "mode_fraction")));
	fprintf(f, " %16s", buf);
}

/* One line per re-entry path: steps, conforming, and what went wrong. */
static void summary_paths(const json_t *doc, FILE *f)
{
	const json_t *paths = json_object_get(doc, "reentry"), *p, *cls;
	const char *name, *cname;

	json_object_foreach((json_t *)paths, name, p) {
		fprintf(f, "reentry %-15s", name);
		if (!json_is_true(json_object_get(p, "taken"))) {
			fprintf(f, "not taken: %s\n",
				json_string_value(json_object_get(p, "reason")) ?: "?");
			continue;
		}
		fprintf(f, "%8lld %8lld  %s", (long long)json_integer_value(json_object_get(p, "steps")),
			(long long)json_integer_value(json_object_get(p, "conforming")),
			json_string_value(json_object_get(p, "verdict")));
		json_object_foreach(json_object_get(p, "classes"), cname, cls)
			if (json_integer_value(json_object_get(cls, "double_steps")))
				fprintf(f, " %s:%lld/%lld PC+8", cname,
					(long long)json_integer_value(json_object_get(cls, "double_steps")),
					(long long)json_integer_value(json_object_get(cls, "steps")));
		if (json_string_value(json_object_get(p, "reason")))
			fprintf(f, " (%s)", json_string_value(json_object_get(p, "reason")));
		fputc('\n', f);
	}
}

/* The known divergences this kernel meets, with their references. */
static void summary_known(const json_t *doc, FILE *f)
{
	const json_t *d;
	size_t i;

	json_array_foreach(json_object_get(json_object_get(doc, "known"), "divergences"), i, d) {
		if (!json_integer_value(json_object_get(d, "steps")))
			continue;
		fprintf(f, "known divergence %s: %lld steps: %s\n  reference: %s\n",
			json_string_value(json_object_get(d, "id")),
			(long long)json_integer_value(json_object_get(d, "steps")),
			json_string_value(json_object_get(d, "title")),
			json_string_value(json_object_get(d, "reference")));
		if (json_string_length(json_object_get(d, "fix")))
			fprintf(f, "  fix: %s\n", json_string_value(json_object_get(d, "fix")));
	}
}

/* Per program: steps per second, and the overhead when it was measured. */
static void summary_programs(const json_t *doc, FILE *f)
{
	const json_t *p, *o;
	size_t i;

	json_array_foreach(json_object_get(doc, "programs"), i, p) {
		if (!json_object_get(p, "steps_per_second"))
			continue;
		fprintf(f, "program %s: %lld steps, %.0f steps/s",
			json_string_value(json_object_get(p, "name")),
			(long long)json_integer_value(json_object_get(p, "steps")),
			json_number_value(json_object_get(p, "steps_per_second")));
		o = json_object_get(p, "overhead");
		if (o)
			fprintf(f, "; overhead %.3fx (host instructions per step: bare %.0f, "
				"steplab %.0f)", json_number_value(json_object_get(o, "ratio")),
				json_number_value(json_object_get(o, "bare_host_instructions_per_step")),
				json_number_value(json_object_get(o, "steplab_host_instructions_per_step")));
		fputc('\n', f);
	}
}

/* How the counters were read, what the host counter covers in this mode, and a date not to believe. */
static void summary_more(const json_t *ctx, FILE *f)
{
	const json_t *h = json_object_get(json_object_get(ctx, "counting"), "host_instructions");
	const json_t *clock = json_object_get(ctx, "clock");
	const json_t *r = json_object_get(ctx, "counter_reads");

	if (r) {
		const char *hw = json_string_value(json_object_get(r, "hardware"));
		const char *why = json_string_value(json_object_get(r, "reason"));
		long long every = json_integer_value(json_object_get(r, "tracepoints_every"));

		fprintf(f, "counters read %s", hw && !strcmp(hw, "user") ? "from user space" :
			"with read(2)");
		if (why)
			fprintf(f, " (%s)", why);
		if (every == 1)
			fprintf(f, "; entries and exits counted on every step\n");
		else
			fprintf(f, "; entries and exits counted on every %lldth step, the first of "
				"each class and every step off the plain path\n", every);
	}
	if (h)
		fprintf(f, "host instructions count %s (EL2: %s)\n",
			json_string_value(json_object_get(h, "levels")),
			json_string_value(json_object_get(h, "el2")));
	if (clock && !json_is_true(json_object_get(clock, "trusted")))
		fprintf(f, "date %s not trusted: %s\n",
			json_string_value(json_object_get(ctx, "date")),
			json_string_value(json_object_get(clock, "why")));
}

void report_print_summary(const json_t *doc, FILE *f)
{
	const json_t *ctx = json_object_get(doc, "context"), *cls;
	const json_t *sum = json_object_get(doc, "summary");
	size_t i;

	fprintf(f, "board %s (%s), kernel %s, kvm %s, status %s\n",
		json_string_value(json_object_get(ctx, "board")),
		json_string_value(json_object_get(ctx, "measured_on")),
		json_string_value(json_object_get(ctx, "kernel_release")),
		json_string_value(json_object_get(ctx, "kvm_mode")),
		json_string_value(json_object_get(doc, "status")));
	fprintf(f, "%-11s %8s %8s %16s %16s %16s  %s\n", "class", "steps", "conform",
		"entries mode", "guest insn mode", "host insn mode", "design");
	json_array_foreach(json_object_get(doc, "classes"), i, cls) {
		fprintf(f, "%-11s %8lld %8lld",
			json_string_value(json_object_get(cls, "class")),
			(long long)json_integer_value(json_object_get(cls, "steps")),
			(long long)json_integer_value(json_object_get(cls, "conforming")));
		put_mode(metric(cls, "entries"), f);
		put_mode(metric(cls, "guest_instructions"), f);
		put_mode(metric(cls, "host_instructions"), f);
		fprintf(f, "  %s\n", json_string_value(json_object_get(
			json_object_get(cls, "design"), "verdict")));
	}
	summary_paths(doc, f);
	summary_known(doc, f);
	fprintf(f, "steps %lld, non-conforming %lld", (long long)json_integer_value(
		json_object_get(sum, "steps")), (long long)json_integer_value(
		json_object_get(sum, "nonconforming")));
	if (json_object_get(doc, "known"))
		fprintf(f, " (known %lld, new %lld)",
			(long long)json_integer_value(json_object_get(sum, "known_nonconforming")),
			(long long)json_integer_value(json_object_get(sum, "new_nonconforming")));
	if (json_integer_value(json_object_get(sum, "unproven"))) {
		const char *why;
		json_t *n;

		fprintf(f, ", unproven %lld", (long long)json_integer_value(
			json_object_get(sum, "unproven")));
		json_object_foreach(json_object_get(sum, "unproven_why"), why, n)
			fprintf(f, " (%s: %lld)", why, (long long)json_integer_value(n));
	}
	fprintf(f, "; verdict: %s; design verdict: %s\n",
		json_string_value(json_object_get(sum, "verdict")) ?: "?",
		json_string_value(json_object_get(json_object_get(doc, "design"), "verdict")));
	summary_programs(doc, f);
	summary_more(ctx, f);
}
