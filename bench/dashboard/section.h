/* SPDX-License-Identifier: GPL-2.0 */
/* A board's section of the dashboard page, for page.c. */
#ifndef STEPLAB_DASHBOARD_SECTION_H
#define STEPLAB_DASHBOARD_SECTION_H

#include <stdio.h>

#include "dashboard/model.h"

/* The board's status and runs, its history, its comparison and its distributions. */
void dash_board_section(FILE *f, const struct dash_board *b);

#endif
