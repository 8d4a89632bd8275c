/* SPDX-License-Identifier: GPL-2.0 */
/*
 * steplab run's preparations: the board file found, the counters checked,
 * and the signals that stop a run (run and stress).
 */
#ifndef STEPLAB_RUN_PREP_H
#define STEPLAB_RUN_PREP_H

#include <signal.h>

#include "host/counters.h"
#include "lib/board.h"

/*
 * Without --board: loads the board file whose compatible and core kinds
 * are this machine's, or steplab's strict defaults; says which on stderr
 * and in b->from (the report's context.board_from).
 */
void run_board_pick(struct board *b);
/*
 * Leaves guest-only counting out, with its reason in ctr->why, when a few
 * untrapped steps show it counts nothing (protected KVM on 6.12 and later).
 */
void run_guest_counting_check(struct counters *ctr, const struct board *b);

/*
 * Set by SIGINT, SIGTERM and the --timeout watchdog (SIGALRM): the step
 * under way finishes and the run stops.  run_stop_signal says which.
 */
extern volatile sig_atomic_t run_stop_requested, run_stop_signal;
/* Installs the handlers that set them, and the watchdog (@timeout s; 0: none). */
void run_stop_signals_install(unsigned int timeout);

#endif
