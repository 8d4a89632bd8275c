/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Board files (JSON, under boards/): what a board is and what its steps are
 * expected to show, quirks included.
 */
#ifndef STEPLAB_BOARD_H
#define STEPLAB_BOARD_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "verdict.h"

struct board {
	char name[64];
	char path[256];
	bool emulated;
	char kvm_mode[16];		/* expected; "" when the file says nothing */
	struct class_expect expect[CLASS_MAX];
	char quirk[CLASS_MAX][256];
};

/* The expectations without a board file: steplab's defaults. */
void board_defaults(struct board *b);
/* Loads a board file; err gets "file:field: reason" on -EINVAL. */
int board_load(const char *path, struct board *b, char *err, size_t len);

#endif
