/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One step as the engine saw it, and the metrics it is measured by.
 */
#ifndef STEPLAB_STEP_H
#define STEPLAB_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/syndrome.h"

enum metric {
	M_GUEST_INSNS,		/* instructions retired in the guest */
	M_HOST_INSNS,		/* instructions retired in the host (the stepper's thread) */
	M_CYCLES,
	M_ENTRIES,		/* kvm:kvm_entry, guest entries */
	M_KVM_EXITS,		/* kvm:kvm_exit, guest exits to the hypervisor */
	M_IRQS,			/* irq:irq_handler_entry: host interrupts in the window */
	M_CSWITCHES,		/* context switches of the stepping thread in the window */
	M_FAULTS,		/* page faults the stepping thread took in the window */
	M_COUNTERS,		/* metrics above come from the counter group */
	M_RUNS = M_COUNTERS,	/* KVM_RUN calls: exits to userspace */
	M_TIME_NS,		/* time inside KVM_RUN, from the virtual counter */
	M_MAX,
};

/* What observing a step adds to: not taken from observed steps. */
#define METRICS_OBSERVER_COST	((1u << M_HOST_INSNS) | (1u << M_CYCLES) | (1u << M_TIME_NS))

const char *metric_name(enum metric m);
const char *metric_unit(enum metric m);

/* How a KVM_RUN came back to userspace, as the verdict sees it. */
enum step_exit {
	SX_DEBUG,
	SX_MMIO,
	SX_OTHER,
	SX_ERROR,		/* KVM_RUN itself failed */
	SX_INTR,		/* KVM_RUN returned EINTR (a signal, immediate_exit) */
	SX_HYPERCALL,		/* KVM_EXIT_HYPERCALL: an SMC forwarded to userspace */
};

/*
 * How a step comes back into KVM_RUN after an exit that userspace (or a
 * signal) completed.  Every path must give the same step: one
 * instruction, its effect, the design's debug exit.
 */
enum reentry {
	RE_PLAIN,		/* KVM_RUN again, nothing else */
	RE_IMMEDIATE,		/* immediate_exit set for the completing KVM_RUN */
	RE_SIGNAL,		/* a signal pending where KVM would re-enter */
	RE_SMCCC_USER,		/* the SMC forwarded to userspace (SMCCC filter) */
	RE_STORM,		/* an asynchronous signal cut a KVM_RUN short */
	RE_MAX,
};

const char *reentry_name(enum reentry p);
/* Parses one path name; -1 when there is none of that name. */
int reentry_from_name(const char *name);

#define STEP_MAX_EXITS	8
#define INSN_BYTES	4		/* every A64 instruction */

struct step_record {
	uint64_t index;
	int row;			/* catalog row at pc */
	uint64_t pc;
	uint64_t pc_after;
	uint64_t pc_expected;
	struct arch_syndrome syn;	/* of the debug exit */
	uint64_t effect_want;
	uint64_t effect_got;
	/*
	 * From nexits up to m[M_TIME_NS]: what step_alike() compares as one
	 * block, with no padding inside.
	 */
	unsigned int nexits;
	uint8_t exits[STEP_MAX_EXITS];	/* enum step_exit, in order */
	uint32_t exit_reason;		/* KVM exit reason of the last SX_OTHER */
	int cpu;			/* the CPU the step's last run returned on */
	uint8_t path;			/* enum reentry */
	bool interrupted;		/* a KVM_RUN of the step returned EINTR */
	bool counters_partial;		/* the group was not counting the whole window */
	bool new_page;			/* the guest's next PC is on a page it never ran */
	bool mmio_ok;			/* the MMIO (or forwarded SMC) exit matched the row */
	bool effect_ok;
	/*
	 * The effect is a register, proven by the log row after the step:
	 * until that one ran (and unproven if it never did).
	 */
	bool effect_later;
	/*
	 * kvm:kvm_entry and kvm:kvm_exit were counted on this step: its own
	 * entries are in m[M_ENTRIES], and what it cost the host is not a
	 * plain step's (the tracepoints' own work is in it).
	 */
	bool observed;
	uint32_t have;			/* bit per metric measured */
	/* an unobserved step: the entries its class took when observed, or 0 */
	uint64_t class_entries;
	uint64_t m[M_MAX];
	uint64_t last[M_MAX];		/* the last KVM_RUN's part, when runs > 1 */
};

/* Counter ticks in ns: 1e9 / hz in 32.32 fixed point, a multiplication. */
static inline uint64_t ns_from_ticks(uint64_t ticks, uint64_t ns_per_tick)
{
	return (uint64_t)(((unsigned __int128)ticks * ns_per_tick) >> 32);
}

/* The step ran on past its own instruction into the next one. */
static inline bool step_ran_two(const struct step_record *r)
{
	return r->pc_after == r->pc + 2 * INSN_BYTES && r->pc_expected != r->pc_after;
}

#endif
