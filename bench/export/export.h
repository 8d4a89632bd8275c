/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exporters: validated reports turned into what labs and dashboards read,
 * LAVA test-shell lines, KCIDB v5 JSON, Bencher Metric Format, JUnit XML.
 *
 * Every format carries the same checks, per report (a "run"):
 *
 *   complete           pass when the run's status is complete
 *   conformance        pass when every step conformed (summary.conforming)
 *   design             the overall design verdict: flag-based and
 *                      early-exit pass, buggy and mixed fail, unknown is
 *                      unknown, none (no emulated class stepped) skips
 *   CLASS.conformance  pass when conforming == steps; skip with no steps
 *   CLASS.design       emulated classes only, the verdict as above
 *   CLASS.METRIC.median  a measurement: the median, with p10/p90 as its
 *                      bounds (min/max when the report has no percentiles);
 *                      skip when the counter was unavailable
 *                      (context.counters.METRIC.available false)
 *
 * The functions write to a FILE and never print elsewhere.
 */
#ifndef STEPLAB_EXPORT_H
#define STEPLAB_EXPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

enum export_format {
	EXPORT_LAVA,
	EXPORT_KCIDB,
	EXPORT_BMF,
	EXPORT_JUNIT,
	EXPORT_FORMAT_MAX,
};

#define EXPORT_ORIGIN_DEFAULT	"steplab"
#define EXPORT_KCIDB_MAJOR	5
#define EXPORT_KCIDB_MINOR	0

struct export_opts {
	const char *origin;	/* KCIDB origin; NULL: EXPORT_ORIGIN_DEFAULT */
	const char *build_id;	/* KCIDB build_id; NULL: "ORIGIN:KERNEL_RELEASE" */
};

/* The format named @name (lava, kcidb, bmf, junit), or -EINVAL. */
int export_format_parse(const char *name);
const char *export_format_name(enum export_format fmt);

/* Checks --origin and --build-id against KCIDB's id rules. */
int export_opts_check(const struct export_opts *o, char *err, size_t len);

/*
 * Writes @n reports, each loaded and passed by report_validate(), as one
 * document of format @fmt.  Returns 0, -EINVAL (bad options), -ENOMEM or
 * -EIO, with the reason in @err.
 */
int export_write(enum export_format fmt, const struct export_opts *o,
		 json_t *const *docs, size_t n, FILE *f, char *err, size_t len);

/*
 * Copies @src into @dst with every byte outside [A-Za-z0-9_-] (and '.'
 * too, unless @keep_dots) replaced by '_'; an empty name becomes "_".
 */
void export_name_sanitize(char *dst, size_t len, const char *src, bool keep_dots);

#endif
