/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Judging steps, and naming the kernel's single-step design from them.
 */
#ifndef STEPLAB_VERDICT_H
#define STEPLAB_VERDICT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/catalog.h"
#include "lib/stats.h"
#include "lib/step.h"

enum step_fault {
	FAULT_EXITS	= 1u << 0,	/* exits not in the order the class takes */
	FAULT_SYNDROME	= 1u << 1,	/* the debug exit is no software step */
	FAULT_PC	= 1u << 2,	/* PC not where one instruction leads */
	FAULT_EFFECT	= 1u << 3,	/* the instruction's effect is missing */
	FAULT_MMIO	= 1u << 4,	/* the MMIO exit is not the row's access */
	FAULT_GUEST_INSNS = 1u << 5,	/* guest retired more than the step allows */
	FAULT_LOST	= 1u << 6,	/* PC left the guest program */
	FAULT_CPU	= 1u << 7,	/* measured on a CPU outside the kind */
	FAULT_MAX_BIT	= 8,
};

/* What a class's steps must show, beyond PC and effect. */
struct class_expect {
	/*
	 * Guest instructions per step, from lo to hi; with per_entry, plus the
	 * step's guest entries (QEMU counts one per entry on trapped rows).
	 */
	int32_t guest_lo, guest_hi;
	bool per_entry;
	bool board;		/* set by a board file, not the default */
	const char *quirk;	/* why the board expects something else */
};

/*
 * The architecture's count: 1 for every instruction the guest executes
 * (untrapped rows, svc, hvc: an exception-generating instruction is
 * executed), 0 for one that traps (mrs, smc, MMIO): nothing retires on
 * the design's re-entry, which takes the step exception at once.
 */
void class_expect_default(enum insn_class c, struct class_expect *x);

const char *fault_name(unsigned int bit);

/* Evidence a step's verdict needs and did not have. */
enum step_unproven {
	UNPROVEN_GUEST_INSNS	= 1u << 0,	/* no guest-instruction count */
	UNPROVEN_ENTRIES	= 1u << 1,	/* no entry count, and the class's count is per entry */
	UNPROVEN_NOT_RUNNING	= 1u << 2,	/* the counters did not run the whole window */
	UNPROVEN_EFFECT		= 1u << 3,	/* the register's log row never ran after it */
	UNPROVEN_MAX_BIT	= 4,
};

const char *unproven_name(unsigned int bit);

/*
 * The one judge: returns the faults of one step (0: conforming as far as
 * its evidence goes) and, in *unproven, the evidence it lacked (0: every
 * check was made).  x NULL: the default expectation.
 */
unsigned int step_judge(const struct step_record *r, enum insn_class c,
			const struct class_expect *x, unsigned int *unproven);
/* One line of evidence for a non-conforming step. */
int step_evidence(const struct step_record *r, unsigned int faults,
		  char *buf, size_t len);

enum design {
	DESIGN_NONE,		/* the class is not emulated: nothing to tell */
	DESIGN_UNKNOWN,
	DESIGN_FLAG,		/* active-pending flag, re-entry (5.0+) */
	DESIGN_EARLY_EXIT,	/* KVM_EXIT_DEBUG without re-entry (4.15-4.20) */
	DESIGN_BUGGY,		/* a step ran two instructions */
	DESIGN_MIXED,
};

const char *design_name(enum design d);

/* Accumulated per class over a run. */
struct class_stats {
	/* time figures come in counter ticks: 1e9 / hz in 32.32 (0: in ns) */
	uint64_t ns_per_tick;
	uint64_t steps;
	uint64_t conforming;
	uint64_t isv_set;	/* debug exits with ISS.ISV=1 */
	uint64_t isv_clear;
	uint64_t double_steps;	/* PC moved two instructions */
	struct dist d[M_MAX];
	/* the same, over the unperturbed steps (step_unperturbed()) */
	struct dist quiet[M_MAX];
	/* the last KVM_RUN of steps that take more than one (MMIO completion) */
	struct dist last[M_MAX];
	/*
	 * Samples not yet in the distributions: of perturbed steps, for d
	 * alone (0); of unperturbed ones, for quiet and d both (1); of last
	 * runs (2).  Two values each and how many times each came since it
	 * went in last (most steps of a class repeat the one before, or the
	 * one before that).
	 */
	struct stats_run {
		uint64_t v[2], n[2];	/* [1] the newer */
	} run[3][M_MAX];
	/*
	 * Before the runs: the last step's figures, and how many steps in a
	 * row had them all but the time (M_TIME_NS, the last metric: it
	 * changes on about every other step and is fed on its own; the others
	 * repeat on most steps).
	 */
	struct {
		uint64_t n;
		uint32_t todo;		/* the metrics fed (the time step by step) */
		bool quiet;
		bool last;		/* a step of several KVM_RUNs */
		uint64_t m[M_MAX];
		uint64_t l[M_MAX];
	} rep;
};

/* The steps of one class that came back into KVM_RUN one way. */
struct path_stats {
	uint64_t steps;
	uint64_t conforming;
	uint64_t double_steps;	/* PC moved two instructions */
	uint64_t isv_set;	/* debug exits with ISS.ISV=1 */
	uint64_t interrupted;	/* a KVM_RUN of the step returned EINTR */
};

/*
 * Parses a list of re-entry path names ("plain,immediate-exit,signal",
 * or "all") into a bit per enum reentry; err gets "NAME: reason".
 */
int reentry_parse(const char *spec, uint32_t *mask, char *err, size_t len);

void path_stats_add(struct path_stats *ps, const struct step_record *r,
		    unsigned int faults);
/* @n steps alike @r at once. */
void path_stats_add_n(struct path_stats *ps, const struct step_record *r,
		      unsigned int faults, uint64_t n);
/* No host interrupt, context switch, page fault or first fetch in the step's window. */
bool step_unperturbed(const struct step_record *r);

void class_stats_init(struct class_stats *cs);
void class_stats_free(struct class_stats *cs);
/*
 * Adds a step: its counts at once, its metrics to the distributions by
 * class_stats_settle(), which must come before they are read or merged.
 */
int class_stats_add(struct class_stats *cs, const struct step_record *r,
		    unsigned int faults);
int class_stats_settle(struct class_stats *cs);

/*
 * Adds conforming steps alike (step_alike()) the one class_stats_add()
 * added to @cs last, in two parts, so that a run of them is counted at
 * once: the counts of @n steps alike @r, and the time of one.
 */
void class_stats_count_alike(struct class_stats *cs, const struct step_record *r, uint64_t n);
int class_stats_time_alike(struct class_stats *cs, const struct step_record *r);

/* Adds src's steps and distributions (settled) to dst. */
int class_stats_merge(struct class_stats *dst, const struct class_stats *src);

enum design design_classify(const struct class_stats *cs, enum insn_class c,
			    char *evidence, size_t len);
enum design design_overall(const enum design per_class[CLASS_MAX]);

#endif
