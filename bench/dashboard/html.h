/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dashboard's lowest level: text made safe for HTML, numbers and
 * dates as the page and its plots print them.  Knows no report.
 */
#ifndef STEPLAB_DASHBOARD_HTML_H
#define STEPLAB_DASHBOARD_HTML_H

#include <stddef.h>
#include <stdio.h>

/* Text for HTML, escaped for element content and quoted attributes alike. */
void dash_esc(FILE *f, const char *s);
void dash_escf(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Whole numbers as such, others with one decimal; "-" for NaN. */
const char *dash_num(char *buf, size_t len, double x);
/* MM-DD of an ISO 8601 date, or the whole string. */
const char *dash_day(char *buf, size_t len, const char *date);

#endif
