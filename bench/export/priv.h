/* SPDX-License-Identifier: GPL-2.0 */
/* The exporters' shared model: one run per report, a list of checks each. */
#ifndef STEPLAB_EXPORT_INT_H
#define STEPLAB_EXPORT_INT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#include "export/export.h"

enum export_result {
	EXPORT_PASS,
	EXPORT_FAIL,
	EXPORT_SKIP,
	EXPORT_UNKNOWN,		/* ran, but could not tell */
	EXPORT_DONE,		/* a measurement, nothing to judge */
};

struct export_check {
	enum export_result result;
	const char *cls;	/* NULL: the run as a whole */
	const char *what;	/* complete, conformance, design, or a metric */
	bool measure;		/* a metric's median: the numbers below hold */
	double value, lower, upper;
	const char *bounds;	/* "p10/p90" or "min/max" */
	const char *unit;	/* set for every metric check, measured or skipped */
	const json_t *dist;	/* the metric's distribution, for extras */
	char message[384];	/* the evidence, or why it failed or skipped */
};

struct export_run {
	const json_t *doc;
	const json_t *ctx;	/* doc's context */
	char name[128];		/* safe, unique among the runs: board[-kernel][-N] */
	char date[32];		/* RFC 3339 from context.date, or "" */
	bool clash;		/* naming: another run has the same name */
	struct export_check *checks;
	size_t n;
};

struct export_set {
	struct export_run *runs;
	size_t n;
	const char *origin;
	const char *build_id;	/* NULL: per run, ORIGIN:KERNEL_RELEASE */
};

int export_set_build(struct export_set *s, const struct export_opts *o,
		     json_t *const *docs, size_t n);
void export_set_free(struct export_set *s);

const char *export_ctx_str(const struct export_run *r, const char *key);
/* "steplab.RUN[.CLASS]" */
void export_prefix(char *buf, size_t len, const struct export_run *r,
		   const struct export_check *c);
/* The check's last name parts: "conformance", "design", "METRIC.median" */
void export_what(char *buf, size_t len, const struct export_check *c);
/* Whole numbers without a fraction, others to 17 significant digits. */
void export_num(char *buf, size_t len, double v);
/* A json integer when @v is whole and exact, else a real. */
json_t *export_json_num(double v);

int export_lava(const struct export_set *s, FILE *f);
int export_kcidb(const struct export_set *s, FILE *f);
int export_bmf(const struct export_set *s, FILE *f);
int export_junit(const struct export_set *s, FILE *f);

#endif
