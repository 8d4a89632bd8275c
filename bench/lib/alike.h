/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a step repeats its class's last in everything the verdict and
 * the totals read: the compare that lets the flush count most steps
 * without judging them again.
 */
#ifndef STEPLAB_ALIKE_H
#define STEPLAB_ALIKE_H

#include <stdbool.h>

#include "lib/step.h"

/*
 * Two steps of one class that the judge and the per-class and per-path
 * totals cannot tell apart but by their time: the same exits, syndrome,
 * path, outcome of every check, evidence and figures, on the same CPU.
 * A step alike one that conformed with every check made conforms too.
 * Both class_entries filled in; the syndromes' raw words are compared
 * (the same word decodes the same).
 */
bool step_alike(const struct step_record *a, const struct step_record *b);

#endif
