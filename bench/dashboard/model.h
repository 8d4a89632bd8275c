/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dashboard's model: reports grouped by board into series, with their
 * changes and comparisons.  The plots and the page read it; it knows
 * nothing of them.
 */
#ifndef STEPLAB_DASHBOARD_MODEL_H
#define STEPLAB_DASHBOARD_MODEL_H

#include <stdbool.h>
#include <string.h>
#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

#include "dashboard/dashboard.h"
#include "lib/compare.h"
#include "lib/identity.h"

/* The metric whose history is followed and whose changes are marked. */
#define DASH_METRIC	"host_instructions"

struct dash_run {
	char *name;
	json_t *doc;
	const char *board, *release, *version, *date, *measured_on;
	const char *verdict, *status, *git;
	json_int_t steps, nonconforming, seed;	/* seed -1: none recorded */
	json_int_t known;			/* non-conforming steps a known divergence explains */
	bool conforming, emulated;
	const char *mode;			/* KVM mode */
	const char *clock_why;			/* why its date is not to be trusted, or NULL */
	struct identity *id;
	char *series;				/* the identity less the board */
};

/* One class in one run of a kernel, against the run before it. */
struct dash_point {
	const json_t *dist;	/* DASH_METRIC's distribution, or NULL */
	bool compared;		/* s holds the shift against the previous run */
	struct compare_shift s;
	int change;		/* +1 rose, -1 fell beyond the interval, 0 */
};

/*
 * One series: the runs of one identity (identity.h) on a board, so that a
 * kernel in two KVM modes, or run with two programs, is two series.
 */
/*
 * A run whose every non-conforming step a known divergence explains (and
 * nothing else is wrong): drawn in its own colour, neither clean nor new.
 */
static inline bool dash_known_only(const struct dash_run *r)
{
	return r->known > 0 && r->known == r->nonconforming && !strcmp(r->status, "complete");
}

/* A run that needs attention: a new divergence, not conforming, or not complete. */
static inline bool dash_run_bad(const struct dash_run *r)
{
	return !dash_known_only(r) &&
	       (r->nonconforming > 0 || !r->conforming || strcmp(r->status, "complete"));
}

struct dash_kernel {
	const char *release, *verdict, *mode;
	const struct identity *id;
	double *spread;			/* per class: boot-to-boot spread, -1 unknown */
	char *spread_from;		/* the baseline it came from, or NULL */
	char label[200];		/* what tells it from the board's other series */
	struct dash_run **runs;		/* by date */
	size_t nruns;
	struct dash_point *points;	/* nruns x board's nclasses */
	json_t *rows;			/* latest against the reference's latest */
	char *note;			/* why there are no rows */
	unsigned int color;
	bool emulated;			/* some run was measured on an emulator */
};

struct dash_change {
	const struct dash_kernel *kernel;
	size_t run;			/* the later of the two runs */
	size_t cls;
};

struct dash_board {
	const char *name;
	size_t index;			/* on the page */
	struct dash_kernel *kernels;	/* by release, then verdict */
	size_t nkernels;
	const char **classes;		/* in the order reports list them */
	size_t nclasses;
	size_t ref;			/* the reference kernel */
	struct dash_change *changes;
	size_t nchanges;
	bool emulated;
	const char *baselines;		/* the dashboard's, or NULL */
};

struct dashboard {
	struct dash_run *runs;
	size_t nruns, cap;
	struct dash_board *boards;
	size_t nboards;
	bool built;
	char *baselines;		/* results/baselines/ of the boot spreads, or NULL */
};

static inline struct dash_point *dash_point(const struct dash_board *b,
					    const struct dash_kernel *k, size_t run, size_t cls)
{
	return &k->points[run * b->nclasses + cls];
}

/* The distribution of @metric of class @cls in @doc, or NULL. */
const json_t *dash_dist(const json_t *doc, const char *cls, const char *metric);
json_int_t dash_int(const json_t *obj, const char *key);


#endif
