/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `steplab run` measures on: one pinned run per CPU kind (or per core
 * with --all-cores), planned from the machine's topology, each with its
 * own counters and results.
 */
#ifndef STEPLAB_KINDS_H
#define STEPLAB_KINDS_H

#include <stdbool.h>

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

#endif
