/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Baselines: the exact per-class modes one kernel build gives on one
 * board, checked in under results/baselines/ and asserted by make check.
 */
#ifndef STEPLAB_BASELINE_H
#define STEPLAB_BASELINE_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>

#define BASELINE_SCHEMA		"steplab-baseline"
#define BASELINE_MIN_MODE_FRACTION 0.99

/* A baseline from a conforming, complete report; NULL with err if not. */
json_t *baseline_make(const json_t *report, char *err, size_t len);

/*
 * Checks a report against a baseline.  Returns the number of mismatches
 * (each printed to @out as "class.metric: ..." or "class: ..."; a class of
 * the report the baseline does not name is one), -ESRCH when the baseline
 * is for another board or kernel build (err says which), -EINVAL when a
 * file is not what it claims or names no class.
 */
int baseline_check(const json_t *baseline, const json_t *report, FILE *out,
		   char *err, size_t len);
/* The same, with the share of steps a mode must hold given (< 0: the baseline's). */
int baseline_check_share(const json_t *baseline, const json_t *report, FILE *out,
			 double min_share, char *err, size_t len);

struct baseline_opts {
	double min_share;		/* share of steps a mode must hold; < 0: the baseline's */
	const char *const *ignore;	/* NULL-terminated metrics not checked, or NULL */
	/*
	 * The baseline may be of another build of the kernel (Debian moved the
	 * source or image under it): the differing kernel_release and
	 * kernel_version lines are printed to @out, and only modes that do not
	 * depend on the build are checked (not host_instructions).  The board
	 * must still match.
	 */
	bool other_build;
};
int baseline_check_opts(const json_t *baseline, const json_t *report, FILE *out,
			const struct baseline_opts *o, char *err, size_t len);

/*
 * Records in @base how far repeated boots of its kernel (@reports, each
 * of the baseline's board, kernel build and mode) put each class's
 * host-instruction mode apart: "boot_spread": { CLASS: max - min } over
 * the baseline's modes and the reports'.  The dashboard marks a change
 * only beyond it.  0, or -ESRCH / -EINVAL with err naming the report.
 */
int baseline_spread(json_t *base, json_t *const *reports, size_t n, const char *const *names,
		    char *err, size_t len);

#endif
