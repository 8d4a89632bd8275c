/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `steplab run` measures on: one pinned run per CPU kind (or per core
 * with --all-cores), planned from the machine's topology, each with its
 * own counters and results.
 */
#ifndef STEPLAB_KINDS_H
#define STEPLAB_KINDS_H

#include <stdbool.h>

#include "host/counters.h"
#include "lib/board.h"
#include "lib/result.h"
#include "lib/topology.h"

/*
 * Plans the runs: per kind, per core with all_cores, or the one CPU asked
 * for (cpu >= 0).  Without a usable topology: one run where the program
 * starts, unchecked.  -ENODEV when cpu is not on this machine.
 */
int kinds_plan(struct kinds *k, bool all_cores, int cpu, char *err, size_t len);
void kinds_free(struct kinds *k);

/*
 * Pins the calling thread to one CPU (want >= 0) or to the one it is on,
 * so the counters follow one core.  Returns the CPU, or -errno.
 */
int kinds_pin(int want);

/* How a run on one kind opens its counters. */
struct kind_open {
	const struct board *b;	/* judges the guest-counting probe's steps */
	bool no_counters;	/* open none (--no-counters) */
	struct counters_req req;	/* what counters_open_with() opens, and how */
};

/*
 * Opens a run on @kr's CPU for the calling thread, as run, stress and the
 * checklist do: pins it there, opens its counters (raw events on the kind's
 * PMU where @k's machine is heterogeneous), leaves guest-only counting out
 * where it counts nothing, and sets kr->raw_events, kr->have and kr->why.
 * *@use is then @ctr, or NULL when no counter opened.  Returns 0, or
 * -errno with the reason in @err when the thread cannot be pinned.
 */
int kind_run_open(struct kind_run *kr, const struct kinds *k, const struct kind_open *o,
		  struct counters *ctr, struct counters **use, char *err, size_t len);
/* Closes the counters kind_run_open() handed out (NULL: none). */
void kind_run_close(struct counters *use);

#endif
