/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a run yields, as plain data: per class and per re-entry path, the
 * programs it ran, the non-conforming steps with their evidence, and per
 * CPU kind (or core) the run that measured there.  The engine (host/)
 * fills it; reports, exports and the dashboard read it.
 */
#ifndef STEPLAB_RESULT_H
#define STEPLAB_RESULT_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/known.h"
#include "lib/topology.h"
#include "lib/verdict.h"

#define NC_KEEP		1000	/* non-conforming steps kept with evidence */

struct nc_step {
	struct step_record r;
	unsigned int faults;
	int known;			/* the known divergence it matches, or -1 */
	char program[64];
};

struct run_program {
	char name[64];
	char spec[256];		/* the mix, for a composed program */
	uint64_t seed;
	uint64_t steps;		/* steps taken */
	uint64_t planned;
	uint64_t nonconforming;
	uint64_t total[M_COUNTERS];	/* the thread's counts over all steps */
	uint64_t bare_host;		/* host instructions of the bare stepper */
	uint64_t bare_reads_host;	/* ... with steplab's counter reads per KVM_RUN */
	uint64_t bare_steps;
	uint64_t plain_host;		/* steplab on the plain path alone, for --overhead */
	uint64_t plain_steps;
	uint64_t elapsed_ns;		/* from the first step's start to the last's end */
};

struct run_result {
	uint64_t steps;
	uint64_t nonconforming;
	struct nc_step nc[NC_KEEP];
	unsigned int nnc;
	struct run_program progs[16];
	unsigned int nprogs;
	uint64_t id_reg;		/* what the sysreg rows must read */
	uint64_t psci_version;
	char stopped[160];		/* why a program stopped early, if it did */
	uint64_t async_exits;		/* KVM_RUN calls a signal cut short */
	uint64_t unproven;		/* conforming as far as checked, evidence missing */
	uint64_t known;			/* non-conforming steps a known divergence explains */
	uint64_t known_by[KNOWN_MAX];	/* per known divergence */
	uint64_t unproven_by[UNPROVEN_MAX_BIT];	/* per missing piece */
	/* per re-entry path and class; plain steps are also in cls[] */
	struct path_stats paths[RE_MAX][CLASS_MAX];
	uint32_t paths_on;		/* bit per path the run could take */
	char path_why[RE_MAX][112];	/* why a path was not taken, or its limits */
	/*
	 * Last: the step loop reaches the fields above at offsets that do not
	 * move when the distributions' bookkeeping grows.
	 */
	struct class_stats cls[CLASS_MAX];
};

struct kind_run {
	struct topo_plan_entry pe;
	bool checked;			/* pe.cpus is real: check every window */
	bool raw_events;		/* counters are raw events on pe.pmu */
	struct run_result *res;
	uint32_t have;			/* metrics measured */
	char why[M_COUNTERS][96];	/* why the others were not */
	const char *reads;		/* how the hardware counters were read; NULL: none */
	char reads_why[128];		/* why not from user space, or "" */
	uint64_t fallbacks;		/* user reads that used read(2) */
};

struct kinds {
	struct topology topo;
	bool topo_ok;
	char reason[256];		/* why there is no topology, or "" */
	bool all_cores;
	struct kind_run *runs;
	unsigned int nr;
};

void run_result_init(struct run_result *res);
/* Adds src (another kind's or core's run of the same programs) to dst. */
int run_result_merge(struct run_result *dst, const struct run_result *src);
void run_result_free(struct run_result *res);

#endif
