/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The step engine: runs a guest program one instruction per KVM_RUN,
 * judges every step and folds it into per-class totals.
 */
#ifndef STEPLAB_ENGINE_H
#define STEPLAB_ENGINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "host/counters.h"
#include "lib/known.h"
#include "lib/program.h"
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
	uint64_t bare_reads_host;	/* ... with one counter read per KVM_RUN */
	uint64_t bare_steps;
};

struct run_result {
	struct class_stats cls[CLASS_MAX];
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
};

struct engine_opts {
	struct counters *counters;	/* NULL: no counters */
	const struct class_expect *expect;	/* [CLASS_MAX], NULL: defaults */
	const struct known *known;	/* known divergences, NULL: none */
	volatile sig_atomic_t *stop;	/* set by a signal: finish the step, stop */
	enum { BARE_NO, BARE_PLAIN, BARE_COUNTER_READS } bare;
	/*
	 * Bit per enum reentry: the ways back into KVM_RUN the steps take, in
	 * turn per class, each where it applies (plain is always one of them).
	 */
	uint32_t reentry;
	FILE *trace;			/* per-step records, CSV; NULL: none */
	/* the CPUs of the kind being measured; NULL: no check */
	const struct topo_cpuset *cpus;
	/* called every few thousand steps, for progress */
	void (*progress)(const struct run_program *rp, const struct run_result *res,
			 void *arg);
	void *arg;
	/*
	 * A mark for an external observer (a GPIO toggle): once before a
	 * program's first step, once after its last, and after every
	 * marker_every-th step in between (0: none); never inside a step's
	 * measured window.  NULL: no marks.
	 */
	void (*marker)(void *arg);
	void *marker_arg;
	uint64_t marker_every;
};

/*
 * The step (counted from 1) the next mark in between follows, after
 * @step of @planned: the next multiple of @every short of the last step,
 * where the closing mark falls.  UINT64_MAX: none.
 */
static inline uint64_t engine_marker_next(uint64_t step, uint64_t planned, uint64_t every)
{
	uint64_t next = every ? (step / every + 1) * every : UINT64_MAX;

	return every && next < planned && next > step ? next : UINT64_MAX;
}

/*
 * The marks of a program that ran @steps of @planned steps (the first
 * mark made once the VM is up): the first and the last, and those between.
 */
static inline uint64_t engine_marker_count(uint64_t steps, uint64_t planned, uint64_t every)
{
	uint64_t inner = steps < planned ? steps : planned - 1;

	return 2 + (every && planned ? inner / every : 0);
}

/* Every path `steplab run` takes unless told otherwise. */
#define REENTRY_DEFAULT	((1u << RE_PLAIN) | (1u << RE_IMMEDIATE) | \
			 (1u << RE_SIGNAL) | (1u << RE_SMCCC_USER))
/* The SMCCC function the smccc-user path forwards: an OEM call KVM lacks. */
#define REENTRY_SMCCC_FN	0xc3000000u

/* The CSV header of --trace files: one column per metric. */
void engine_trace_header(FILE *f);

/* The metrics a run measures with these counters (NULL: none). */
uint32_t engine_metrics(const struct counters *c);

void run_result_init(struct run_result *res);
/* Adds src (another kind's or core's run of the same programs) to dst. */
int run_result_merge(struct run_result *dst, const struct run_result *src);
void run_result_free(struct run_result *res);

/*
 * Runs @p in a fresh VM.  Returns 0 when every planned step ran (judged,
 * conforming or not), -EINTR when *stop was set, and -errno when the VM
 * could not be built or KVM_RUN failed; err then names the failing call.
 */
int engine_run(const struct program *p, const struct engine_opts *o,
	       struct run_result *res, struct run_program *rp,
	       char *err, size_t errlen);

#endif
