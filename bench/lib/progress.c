// SPDX-License-Identifier: GPL-2.0
/* steplab run's progress: a bar on a terminal, lines elsewhere. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/progress.h"

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A terminal that can redraw a line: not a serial console without TERM. */
static bool progress_tty(FILE *f)
{
	const char *term = getenv("TERM");

	return isatty(fileno(f)) && term && *term && strcmp(term, "dumb");
}

void progress_init(struct progress *pr, FILE *f, bool quiet)
{
	*pr = (struct progress) { .f = f, .start = now_s(), .quiet = quiet, .tty = progress_tty(f) };
	pr->last = pr->start;
}

void progress_program(struct progress *pr)
{
	pr->last_tenth = 0;
	pr->program_start = now_s();
}

void progress_show(const struct run_program *rp, const struct run_result *res, void *arg)
{
	struct progress *pr = arg;
	uint64_t planned = rp->planned ? rp->planned : 1;
	uint64_t tenth = rp->steps * 10 / planned;
	double t = now_s(), rate = (double)rp->steps / (t - pr->program_start + 1e-9);
	char bar[32];
	unsigned int i, fill = (unsigned int)(rp->steps * 24 / planned);

	if (pr->quiet)
		return;
	if (pr->tty) {
		/* a bar on a terminal, redrawn in place */
		for (i = 0; i < 24; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[24] = '\0';
		fprintf(pr->f, "\r%s [%s] %3u%% %" PRIu64 "/%" PRIu64 " steps, %.0f/s, ETA %.0f s, %"
			PRIu64 " non-conforming ", rp->name, bar, (unsigned int)(rp->steps * 100 / planned),
			rp->steps, planned, rate, rate > 0 ? (double)(planned - rp->steps) / rate : 0.0,
			res->nonconforming);
		pr->drawn = true;
		return;
	}
	/* otherwise a line every 5 s, or every tenth where time runs slowly (icount) */
	if (t - pr->last < 5 && tenth == pr->last_tenth)
		return;
	pr->last = t;
	pr->last_tenth = tenth;
	fprintf(pr->f, "steplab run: %s: %" PRIu64 "/%" PRIu64 " steps, %" PRIu64
		" non-conforming, %.0f steps/s\n", rp->name, rp->steps, rp->planned,
		res->nonconforming, rate);
}

void progress_end(struct progress *pr)
{
	if (!pr->drawn)
		return;
	fputc('\n', pr->f);
	pr->drawn = false;
}
