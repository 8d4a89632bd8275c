// SPDX-License-Identifier: GPL-2.0
/*
 * What steplab run settles before it measures: the board file when none
 * was given, whether guest-only counting really counts, and what stops it.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/engine.h"
#include "host/run-prep.h"
#include "lib/board-find.h"
#include "lib/program.h"

/*
 * Without --board: the board file whose compatible and core kinds are
 * this machine's, or steplab's strict defaults when none is; either way
 * the run says which, and so does the report (context.board_from).
 */
void run_board_pick(struct board *b)
{
	struct machine m;
	char why[320], desc[256];

	machine_read(&m);
	machine_describe(&m, desc, sizeof(desc));
	if (!board_find(&m, b, why, sizeof(why))) {
		snprintf(b->from, sizeof(b->from), "found: %.370s", why);
		fprintf(stderr, "steplab run: board %s: %s\n", b->name, why);
		return;
	}
	board_defaults(b);
	snprintf(b->from, sizeof(b->from), "none: %.200s (%.120s); judged strictly by steplab's defaults",
		 why, desc);
	fprintf(stderr, "steplab run: %s (%s): judging strictly by steplab's defaults\n", why, desc);
}

/*
 * Guest-only counting can open and still count nothing: protected KVM on
 * 6.12 and later keeps the host's perf events away from its own copy of
 * the vCPU.  A few untrapped steps, each of which retires one guest
 * instruction, tell; a dead counter is left out with that reason rather
 * than failing every step.
 */
void run_guest_counting_check(struct counters *ctr, const struct board *b)
{
	struct engine_opts eo = { .counters = ctr, .expect = b->expect };
	struct run_result *scratch;
	struct run_program rp = { .name = "guest counting probe" };
	struct program p;
	char err[256];

	if (!(ctr->have & (1u << M_GUEST_INSNS)))
		return;
	scratch = calloc(1, sizeof(*scratch));
	program_init(&p, "untrapped");
	if (scratch && !program_add_fixed(&p, "untrapped")) {
		run_result_init(scratch);
		if (!engine_run(&p, &eo, scratch, &rp, err, sizeof(err)) && rp.steps &&
		    !rp.total[M_GUEST_INSNS]) {
			ctr->have &= ~(1u << M_GUEST_INSNS);
			snprintf(ctr->why[M_GUEST_INSNS], sizeof(ctr->why[M_GUEST_INSNS]),
				 "opens but counts nothing in the guest (%" PRIu64
				 " untrapped steps, 0 instructions)", rp.steps);
		}
		run_result_free(scratch);
	}
	program_free(&p);
	free(scratch);
}

volatile sig_atomic_t run_stop_requested, run_stop_signal;

static void on_stop(int sig)
{
	run_stop_signal = sig;
	run_stop_requested = 1;
}

/*
 * SIGINT, SIGTERM and the watchdog (SIGALRM from --timeout) finish the
 * step under way and stop; the report is written with what was done.  No
 * SA_RESTART: a KVM_RUN in progress must come back with EINTR.
 */
void run_stop_signals_install(unsigned int timeout)
{
	struct sigaction sa = { .sa_handler = on_stop };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	if (timeout)
		alarm(timeout);
}
