/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bare stepper of `steplab run --overhead`: the yardstick steplab's
 * own per-step overhead is measured against.
 *
 * Part of engine.c's translation unit, and included by it alone: the
 * compiler inlines these functions into engine_run(), the function that
 * also holds the step loop, and the registers and stack layout of a step's
 * window depend on all of that function.  A file compiled on its own
 * changed them.
 */
#ifndef STEPLAB_ENGINE_BARE_H
#define STEPLAB_ENGINE_BARE_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host/engine-priv.h"

/*
 * The least any stepper does: KVM_RUN, the MMIO round trip when there is
 * one, and one ONE_REG read of the PC.  No counters per step, no checks:
 * the yardstick steplab's own overhead is measured against.  With
 * BARE_COUNTER_READS it adds steplab's read of the hardware counters per
 * KVM_RUN, to tell that part of the overhead from the checks.  The
 * tracepoints stay off: they are on only for the steps steplab observes.
 */
static inline __attribute__((always_inline)) int
bare_steps(struct engine *e, bool reads, char *err, size_t len)
{
	struct kvm_run *run = e->vcpu.run;
	uint64_t pc = GUEST_CODE, data = GUEST_MMIO_DATA, now[M_COUNTERS];
	bool partial = false;
	int ret;

	while (e->rp->steps < e->p->steps) {
		ret = __vcpu_run(&e->vcpu);
		if (reads)
			counters_read_hw(e->o->counters, now, &partial);
		if (!ret && run->exit_reason == KVM_EXIT_MMIO) {
			if (!run->mmio.is_write)
				memcpy(run->mmio.data, &data, run->mmio.len <= 8 ? run->mmio.len : 8);
			ret = __vcpu_run(&e->vcpu);
			if (reads)
				counters_read_hw(e->o->counters, now, &partial);
		}
		if (!ret)
			ret = arch_get_pc(&e->vcpu, &pc);
		if (ret && ret != -EINTR) {
			snprintf(err, len, "bare stepper: %s", strerror(-ret));
			return ret;
		}
		if (!ret) {
			e->rp->steps++;
			e->res->steps++;
		}
	}
	return 0;
}

/* Each variant its own loop: none pays for another's tests. */
static int bare_loop(struct engine *e, char *err, size_t len)
{
	if (e->o->bare == BARE_COUNTER_READS)
		return bare_steps(e, true, err, len);
	return bare_steps(e, false, err, len);
}

#endif
