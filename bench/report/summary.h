/* SPDX-License-Identifier: GPL-2.0 */
/* A report's summary table: per class, per re-entry path, and the verdicts. */
#ifndef STEPLAB_SUMMARY_H
#define STEPLAB_SUMMARY_H

#include <stdio.h>
#include <jansson.h>

/* Prints @doc's summary to @f (shared by run, stress and report summary). */
void report_print_summary(const json_t *doc, FILE *f);

#endif
