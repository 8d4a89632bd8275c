/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The board file of this machine, found by device-tree compatible and
 * core kinds (MIDR) among the installed boards and the repo's boards/.
 */
#ifndef STEPLAB_BOARD_FIND_H
#define STEPLAB_BOARD_FIND_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/board.h"

#define MACHINE_MAX_MIDR	256

/* What identifies a machine to a board file. */
struct machine {
	char compatible[1024];		/* NUL-separated, as in the device tree */
	size_t compatible_len;
	bool has_dt;
	uint64_t midr[MACHINE_MAX_MIDR];	/* per CPU */
	unsigned int nmidr;
};

/* Reads this machine's; -ENOENT when it has neither device tree nor MIDRs. */
int machine_read(struct machine *m);
/* "compatible A, MIDR 0x... 0x..." (the first compatible, each kind once). */
void machine_describe(const struct machine *m, char *buf, size_t len);
/* 0: no match (why says what differs); 1 a match; 2 on the most specific compatible. */
int board_matches(const struct board *b, const struct machine *m, char *why, size_t len);
/*
 * The directories searched, in order: $STEPLAB_BOARD_DIR, the installed
 * PREFIX/share/steplab/boards beside the program, the repo's boards/
 * beside a build (build/ARCH/steplab).
 */
unsigned int board_dirs(char dirs[][PATH_MAX], unsigned int max);
/*
 * Loads the best match into @out; why names the file and what matched.
 * -ENOENT when none matches (why names the directories).
 */
int board_find(const struct machine *m, struct board *out, char *why, size_t len);

#endif
