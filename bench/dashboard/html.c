// SPDX-License-Identifier: GPL-2.0
/*
 * HTML primitives of the dashboard: escaping, numbers and dates as the
 * page and its plots print them.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "dashboard/html.h"

void dash_esc(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':	fputs("&amp;", f); break;
		case '<':	fputs("&lt;", f); break;
		case '>':	fputs("&gt;", f); break;
		case '"':	fputs("&quot;", f); break;
		case '\'':	fputs("&#39;", f); break;
		default:
			/* C0 controls are not characters an HTML page may hold */
			fputc((unsigned char)*s < 0x20 && *s != '\n' && *s != '\t' ? '?' : *s, f);
		}
	}
}

void dash_escf(FILE *f, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dash_esc(f, buf);
}

const char *dash_num(char *buf, size_t len, double x)
{
	if (x != x)
		snprintf(buf, len, "-");
	else if (fabs(x) < 1e15 && x == (double)(long long)x)
		snprintf(buf, len, "%lld", (long long)x);
	else
		snprintf(buf, len, "%.1f", x);
	return buf;
}

const char *dash_day(char *buf, size_t len, const char *date)
{
	if (strlen(date) >= 10 && date[4] == '-' && date[7] == '-')
		snprintf(buf, len, "%.5s", date + 5);
	else
		snprintf(buf, len, "%s", date);
	return buf;
}
