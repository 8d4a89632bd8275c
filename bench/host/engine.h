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
#include "lib/result.h"
#include "lib/topology.h"
#include "lib/verdict.h"

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
	/*
	 * The steps kvm:kvm_entry and kvm:kvm_exit are counted on: every
	 * observe_every-th step of a program, the first OBSERVE_FIRST steps
	 * of each class, and every step on a re-entry path other than plain
	 * (1: every step; 0: the default, OBSERVE_EVERY).
	 */
	uint64_t observe_every;
};

#define OBSERVE_EVERY	512
#define OBSERVE_FIRST	4

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

/*
 * Runs @p in a fresh VM.  Returns 0 when every planned step ran (judged,
 * conforming or not), -EINTR when *stop was set, and -errno when the VM
 * could not be built or KVM_RUN failed; err then names the failing call.
 */
int engine_run(const struct program *p, const struct engine_opts *o,
	       struct run_result *res, struct run_program *rp,
	       char *err, size_t errlen);

#endif
