/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal TAP producer for steplab's unit tests, in the manner of
 * kselftest.h: "ok N name", "not ok N name", "# SKIP", a plan, and a
 * closing line "N passed, N failed, N skipped" that CI reads.
 */
#ifndef STEPLAB_TAP_H
#define STEPLAB_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_pass, tap_fail, tap_skip;

static inline void __attribute__((format(printf, 2, 3)))
tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (cond)
		tap_pass++;
	else
		tap_fail++;
}

static inline void __attribute__((format(printf, 1, 2)))
tap_skip_one(const char *fmt, ...)
{
	va_list ap;

	tap_n++;
	tap_skip++;
	printf("ok %d # SKIP ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline void __attribute__((format(printf, 1, 2)))
tap_diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Prints the plan and the closing count; the exit status for main(). */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	printf("%d passed, %d failed, %d skipped\n", tap_pass, tap_fail, tap_skip);
	return tap_fail ? EXIT_FAILURE : EXIT_SUCCESS;
}

#define tap_eq_u64(a, b, name) do {					\
	unsigned long long __a = (a), __b = (b);			\
	tap_ok(__a == __b, "%s (%llu == %llu)", name, __a, __b);	\
} while (0)

#endif
