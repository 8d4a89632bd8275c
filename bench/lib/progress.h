/* SPDX-License-Identifier: GPL-2.0 */
/*
 * steplab run's progress: a bar redrawn in place on a terminal, otherwise
 * a line every 5 s or every tenth of a program, whichever comes first.
 */
#ifndef STEPLAB_PROGRESS_H
#define STEPLAB_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/result.h"

struct progress {
	FILE *f;
	double start, last, program_start;
	uint64_t last_tenth;
	bool quiet;
	bool tty;		/* f is a terminal: draw a bar */
	bool drawn;		/* a bar is on the line */
};

/* Progress on @f (a terminal that can redraw a line gets a bar); nothing when @quiet. */
void progress_init(struct progress *pr, FILE *f, bool quiet);
/* A program begins. */
void progress_program(struct progress *pr);
/* Where @rp stands: engine_opts' progress callback, @arg the struct progress. */
void progress_show(const struct run_program *rp, const struct run_result *res, void *arg);
/* A program ended: the bar's line is finished. */
void progress_end(struct progress *pr);

#endif
