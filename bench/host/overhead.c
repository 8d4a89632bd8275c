// SPDX-License-Identifier: GPL-2.0
/*
 * `steplab run --overhead`: the program under the bare stepper, then with
 * steplab's counter reads added, then under steplab on the plain path
 * alone when the run itself takes others.  None of these runs' steps are
 * the run's: they go into a scratch result.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/overhead.h"

int overhead_measure(const struct program *p, const struct engine_opts *eo,
		     struct run_program *rp, char *err, size_t len)
{
	static const int order[] = { BARE_PLAIN, BARE_COUNTER_READS, BARE_NO };
	struct engine_opts pass = *eo;
	struct run_program brp;
	struct run_result *scratch = calloc(1, sizeof(*scratch));
	unsigned int k;
	int ret = 0, i;

	if (!scratch)
		return -ENOMEM;
	run_result_init(scratch);
	pass.progress = NULL;
	pass.trace = NULL;
	pass.marker = NULL;
	for (k = 0; k < sizeof(order) / sizeof(order[0]) && !ret; k++) {
		i = order[k];
		memset(&brp, 0, sizeof(brp));
		snprintf(brp.name, sizeof(brp.name), "%.48s (%s)", rp->name,
			 i != BARE_NO ? "bare" : "plain");
		if (i == BARE_NO) {
			if (eo->reentry == 1u << RE_PLAIN)
				break;
			pass.reentry = 1u << RE_PLAIN;
		}
		pass.bare = i;
		ret = engine_run(p, &pass, scratch, &brp, err, len);
		if (i == BARE_PLAIN) {
			rp->bare_host = brp.total[M_HOST_INSNS];
			rp->bare_steps = brp.steps;
		} else if (i == BARE_COUNTER_READS) {
			rp->bare_reads_host = brp.total[M_HOST_INSNS];
		} else {
			rp->plain_host = brp.total[M_HOST_INSNS];
			rp->plain_steps = brp.steps;
		}
	}
	run_result_free(scratch);
	free(scratch);
	return ret;
}
