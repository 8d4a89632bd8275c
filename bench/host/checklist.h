/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bring-up checklist: is this machine ready to be trusted with steplab
 * results for the board a board file describes?  Items run in order; each
 * passes, fails or is skipped, with one reason.
 */
#ifndef STEPLAB_CHECKLIST_H
#define STEPLAB_CHECKLIST_H

#include <stdio.h>
#include <jansson.h>

#include "lib/board.h"

enum ck_status { CK_PASS, CK_FAIL, CK_SKIP };

#define CK_REASON_MAX	256

struct ck_result {
	const char *name;
	const char *what;
	enum ck_status status;
	char reason[CK_REASON_MAX];
};

struct ck_run;

/* Runs every item for board @b; results in @out (at least ck_count()). */
int checklist_run(const struct board *b, struct ck_result *out, unsigned int *n);
unsigned int ck_count(void);
const char *ck_status_name(enum ck_status s);

#endif
