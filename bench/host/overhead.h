/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `steplab run --overhead`: what steplab's own work costs a step, against
 * a bare stepper over the same program.
 */
#ifndef STEPLAB_OVERHEAD_H
#define STEPLAB_OVERHEAD_H

#include <stddef.h>

#include "host/engine.h"

/*
 * Runs @p, each in a VM of its own, under the bare stepper (KVM_RUN and
 * the PC), the bare stepper with steplab's counter reads, and, when @eo
 * takes re-entry paths other than plain, steplab on the plain path alone
 * (the one path the bare stepper takes: like with like); their host
 * instructions go into @rp's bare_* and plain_* fields.
 */
int overhead_measure(const struct program *p, const struct engine_opts *eo,
		     struct run_program *rp, char *err, size_t len);

#endif
