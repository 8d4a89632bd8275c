/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One step as the engine saw it, and the metrics it is measured by.
 */
#ifndef STEPLAB_STEP_H
#define STEPLAB_STEP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch.h"

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

const char *metric_name(enum metric m);
const char *metric_unit(enum metric m);

/* How a KVM_RUN came back to userspace, as the verdict sees it. */
enum step_exit {
	SX_DEBUG,
	SX_MMIO,
	SX_OTHER,
	SX_ERROR,		/* KVM_RUN itself failed */
};

#define STEP_MAX_EXITS	4

struct step_record {
	uint64_t index;
	int row;			/* catalog row at pc */
	uint64_t pc;
	uint64_t pc_after;
	uint64_t pc_expected;
	unsigned int nexits;
	uint8_t exits[STEP_MAX_EXITS];	/* enum step_exit, in order */
	uint32_t exit_reason;		/* KVM exit reason of the last SX_OTHER */
	struct arch_syndrome syn;	/* of the debug exit */
	int cpu;			/* the CPU the step's last run returned on */
	bool mmio_ok;			/* the MMIO exit matched the row */
	bool effect_ok;
	uint64_t effect_want;
	uint64_t effect_got;
	uint32_t have;			/* bit per metric measured */
	uint64_t m[M_MAX];
	uint64_t last[M_MAX];		/* the last KVM_RUN's part, when runs > 1 */
};

#endif
