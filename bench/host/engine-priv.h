/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The step engine's own state, shared by its files: engine.c (the step
 * loop, everything that runs inside a step's measured window) with the
 * headers compiled into it (engine-setup.h, engine-reentry.h,
 * engine-bare.h), and engine-flush.c (the verdicts, evidence and trace
 * lines of queued steps).  Only the engine's files include it.
 */
#ifndef STEPLAB_ENGINE_PRIV_H
#define STEPLAB_ENGINE_PRIV_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/rseq.h>

#include "abi.h"
#include "host/arch.h"
#include "host/engine.h"
#include "host/tracefs.h"

#define PENDING_STEPS	4096
/*
 * Room past PENDING_STEPS: the buffer is not flushed between a row whose
 * effect is a register and its log row, the step that proves it.
 */
#define PENDING_SLACK	16
#define DATA_STORE	8		/* str_ram's word */
#define DATA_SCRATCH	16		/* the word rows without a store check */
#define SCRATCH_VALUE	0x5c5c5c5c5c5c5c5cull
/* The signal of the signal re-entry path; the storm of `stress` is SIGUSR1. */
#define REENTRY_SIG	SIGUSR2

/*
 * What the engine checks after a row, prepared once per run: one RAM word
 * (the store a mem row makes, the scratch word that no row touches
 * otherwise), and the log word the next step's log row stores the row's
 * register to.  No register is read from the vCPU: a row whose effect is
 * a register is proven by the log row after it, in that step's window.
 * A log word nothing was stored to holds LOG_IDLE, which no row's
 * register can be when it conforms.
 */
#define LOG_IDLE	0x1d1e1d1e1d1e1d1eull
struct row_check {
	unsigned int mem_off;
	uint64_t mem_want;
	uint64_t mem_reset;
	uint64_t log_want;		/* what the log row after it stores */
	bool logs;			/* the row's effect is a register */
};

/*
 * Cache-line aligned, each one: clearing a record then costs the same
 * instructions at every index (memset's path depends on alignment).
 */
struct pending {
	uint8_t cls;
	uint32_t faults;
	struct step_record r;
} __attribute__((aligned(64)));

struct engine {
	struct vm vm;
	struct vcpu vcpu;
	const struct program *p;
	const struct engine_opts *o;
	struct run_result *res;
	struct run_program *rp;
	struct row_check *checks;
	struct pending *pend;
	unsigned int npend;
	uint64_t last[M_COUNTERS];
	uint32_t take;			/* the metrics read per KVM_RUN */
	uint32_t traced;		/* the tracepoints' metrics, when they opened */
	uint64_t observe_every;
	bool observing;			/* the tracepoints are on for the next step */
	unsigned int observed[CLASS_MAX];	/* observed steps so far, per class */
	uint64_t class_entries[CLASS_MAX];	/* entries of a clean observed step */
	uint32_t have;
	uint64_t hz;			/* of the virtual counter */
	uint64_t ns_per_tick;		/* 1e9 / hz, 32.32 fixed point */
	bool finalized;			/* the first KVM_RUN has been made */
	uint64_t eret_target;
	int eret_row;
	uint64_t mark_at;		/* the step the next mark follows */
	struct step_record mark_rec;	/* what a mark cost: no step's */
	uint64_t nc_at_start;		/* the result's non-conforming steps before */
	uint8_t *ran;			/* a byte per 4 KiB of guest RAM the PC reached */
	size_t nran;
	uint32_t paths;			/* the re-entry paths this VM can take */
	uint8_t *path_of;		/* per code word: its step's path */
	const struct rseq *rseq;	/* the stepping thread's, or NULL (thread_cpu()) */
	int next_row;			/* the catalog row at the next step's PC */
	enum reentry next_path;		/* and its re-entry path */
	unsigned int turn[CLASS_MAX];	/* whose turn it is, per class */
	int exit_sig_fd;		/* kvm:kvm_exit signalling, or -1 */
	sigset_t sig;			/* REENTRY_SIG alone */
	sigset_t saved;			/* the thread's mask before the run */
	sigset_t kvm_mask;		/* the mask KVM_RUN takes on the signal path */
	bool sig_blocked;
	bool data_seen;			/* the data words' page touched (flush order) */
	/* per class, in the pending buffer: its last step, when it conformed */
	struct pending *alike[CLASS_MAX];
	/*
	 * The step whose register the next step's log row stores, and what it
	 * must be; log_sink (and LOG_IDLE) when the step before left none.
	 */
	struct step_record *log_rec;
	uint64_t log_want;
	struct step_record log_sink;
};

static inline uint64_t *data_word(struct engine *e, unsigned int off)
{
	return (uint64_t *)((char *)e->vm.ram + (GUEST_DATA - GUEST_RAM_BASE) + off);
}

/* The step that waited for its log row: what the row stored, @got. */
static inline __attribute__((always_inline)) void
log_resolve(struct step_record *w, uint64_t got, uint64_t want)
{
	w->effect_later = false;
	w->effect_ok &= got == want;
	w->effect_got = got;
	w->effect_want = want;
}

/* Starts the next window here: every count, the slow way. */
static inline int counters_sync(struct engine *e)
{
	return counters_read(e->o->counters, e->last);
}

/* engine-flush.c: judges and records the queued steps, outside every window. */
int pending_flush(struct engine *e);
/* The distributions made whole, for reading: at the end of a program. */
int pending_settle(struct engine *e);
int nc_keep(struct engine *e, const struct step_record *r, unsigned int f);

#endif
