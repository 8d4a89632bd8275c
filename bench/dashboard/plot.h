/* SPDX-License-Identifier: GPL-2.0 */
/* The dashboard's plots, drawn from the model for the page. */
#ifndef STEPLAB_DASHBOARD_PLOT_H
#define STEPLAB_DASHBOARD_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "dashboard/model.h"

/* The kernel's colour on every plot and table of its board. */
const char *dash_color(const struct dash_kernel *k);

/* Plots: inline SVG, class "plot", named by data-plot. */
void dash_plot_history(FILE *f, const struct dash_board *b, const struct dash_kernel *k,
		       size_t cls);
void dash_plot_distributions(FILE *f, const struct dash_board *b, size_t cls);

#endif
