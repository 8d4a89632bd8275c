/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dashboard: one self-contained static HTML page built from many
 * reports.  Reports are grouped by board, then by kernel (release and
 * design verdict); each kernel's runs are ordered by context.date.  The
 * page shows per board the conformance status and design verdicts, the
 * median host instructions per step of every class run by run, with a
 * marker where it moved beyond the 95% Hodges-Lehmann interval of the
 * shift against the previous run, each kernel's latest run against a
 * reference kernel, and the step-cost distributions of the latest runs.
 */
#ifndef STEPLAB_DASHBOARD_H
#define STEPLAB_DASHBOARD_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

struct dashboard;

struct dashboard_counts {
	size_t boards;
	size_t kernels;
	size_t runs;
	size_t regressions;	/* medians that rose beyond their interval */
	size_t improvements;	/* medians that fell beyond it */
	size_t nonconforming;	/* runs with a non-conforming step no known divergence explains */
	size_t known;		/* runs whose only non-conforming steps are known divergences */
};

/* An empty dashboard, or NULL with errno set. */
struct dashboard *dashboard_new(void);
void dashboard_free(struct dashboard *d);

/*
 * Adds a report that passed report_validate, shown as @name; takes a
 * reference to @doc.  Returns 0, -EINVAL when a histogram cannot be read
 * (@err names the field), -EBUSY after dashboard_build, or -ENOMEM.
 */
int dashboard_add(struct dashboard *d, const char *name, json_t *doc, char *err, size_t len);

/*
 * Groups and orders the reports, finds the changes between consecutive
 * runs and compares each kernel's latest run against the reference:
 * the kernel whose release is @reference, or with @reference NULL the
 * lowest release on each board.  Returns 0, -ENODATA when nothing was
 * added, -ENOENT when no board ran @reference, or -ENOMEM; @err says
 * which.
 */
int dashboard_build(struct dashboard *d, const char *reference, char *err, size_t len);

/*
 * Where baselines (results/baselines/BOARD/RELEASE[.MODE].json) hold each kernel's
 * boot-to-boot spread: a change is then marked only beyond both its
 * interval and that spread.  Before dashboard_build; 0 or -ENOMEM.
 */
int dashboard_set_baselines(struct dashboard *d, const char *dir);

/* What the built page holds. */
void dashboard_counts(const struct dashboard *d, struct dashboard_counts *c);

/* Writes the built page to @f.  Returns 0 or -EIO. */
int dashboard_render(const struct dashboard *d, FILE *f);

/*
 * Writes the built page to a temporary file beside @path, syncs it and
 * renames it over @path: all or nothing.  Returns 0 or -errno, @err
 * naming the path and the reason.
 */
int dashboard_write(const struct dashboard *d, const char *path, char *err, size_t len);

#endif
