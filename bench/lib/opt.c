// SPDX-License-Identifier: GPL-2.0
/* Command-line options: checked decimal numbers and one-line errors. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/opt.h"

int opt_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t v = 0;
	bool big = false;
	const char *p;

	if (!*s)
		return -EINVAL;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)(*p - '0')) / 10)
			big = true;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	if (big || v < lo || v > hi)
		return -ERANGE;
	*out = v;
	return 0;
}

int opt_number(const char *name, const char *s, uint64_t lo, uint64_t hi, uint64_t *out,
	       char *err, size_t len)
{
	uint64_t v;
	int ret = opt_u64(s, lo, hi, &v);

	if (ret == -EINVAL && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		snprintf(err, len, "%s '%s' is not a number: decimal only", name, s);
	else if (ret == -EINVAL)
		snprintf(err, len, "%s '%s' is not a number", name, s);
	else if (ret && lo && !opt_u64(s, 0, lo - 1, &v))
		snprintf(err, len, "%s must be at least %" PRIu64 ", not '%s'", name, lo, s);
	else if (ret)
		snprintf(err, len, "%s must be at most %" PRIu64 ", not '%s'", name, hi, s);
	else
		*out = v;
	return ret;
}

void opt_getopt_error(int c, char *const *argv, char *err, size_t len)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	bool lopt = !strncmp(arg, "--", 2);

	/* a short option in a cluster ("-qz") is named on its own */
	if (c == ':' && lopt)
		snprintf(err, len, "%s needs a value", arg);
	else if (c == ':')
		snprintf(err, len, "-%c needs a value", optopt);
	else if (!lopt && optopt)
		snprintf(err, len, "unknown option '-%c'", optopt);
	else
		snprintf(err, len, "unknown option '%s'", arg);
}

int opt_usage(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "steplab %s: %s (see 'steplab %s --help')\n", cmd, msg, cmd);
	return -EINVAL;
}

int opt_bad(const char *cmd, int c, char *const *argv)
{
	char msg[320];

	opt_getopt_error(c, argv, msg, sizeof(msg));
	return opt_usage(cmd, "%s", msg);
}

int opt_num(const char *cmd, const char *name, const char *s, uint64_t lo, uint64_t hi,
	    uint64_t *out)
{
	char msg[320];
	int ret = opt_number(name, s, lo, hi, out, msg, sizeof(msg));

	if (ret)
		fprintf(stderr, "steplab %s: %s\n", cmd, msg);
	return ret;
}

int opt_uint(const char *cmd, const char *name, const char *s, unsigned int lo, unsigned int hi,
	     unsigned int *out)
{
	uint64_t v;
	int ret = opt_num(cmd, name, s, lo, hi, &v);

	if (!ret)
		*out = (unsigned int)v;
	return ret;
}
