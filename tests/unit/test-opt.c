// SPDX-License-Identifier: GPL-2.0
/* Option numbers: decimal only, in range, and the line that says why not. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#include "lib/opt.h"
#include "tap.h"

static void test_numbers(void)
{
	uint64_t v = 99;

	tap_ok(!opt_u64("10", 0, 100, &v) && v == 10, "10 is ten");
	tap_ok(!opt_u64("010", 0, 100, &v) && v == 10, "010 is ten, not octal eight");
	tap_ok(!opt_u64("0", 0, 100, &v) && v == 0, "0 is zero");
	tap_ok(!opt_u64("18446744073709551615", 0, UINT64_MAX, &v) && v == UINT64_MAX,
	       "UINT64_MAX is taken");
	tap_ok(opt_u64("18446744073709551616", 0, UINT64_MAX, &v) == -ERANGE,
	       "UINT64_MAX + 1 is out of range");
	tap_ok(opt_u64("99999999999999999999999", 0, UINT64_MAX, &v) == -ERANGE,
	       "far past UINT64_MAX is out of range");
	v = 7;
	tap_ok(opt_u64("0x10", 0, 100, &v) == -EINVAL && v == 7, "0x10 is refused, nothing stored");
	tap_ok(opt_u64("", 0, 100, &v) == -EINVAL, "the empty string is not a number");
	tap_ok(opt_u64("-1", 0, 100, &v) == -EINVAL, "-1 is not taken");
	tap_ok(opt_u64("+1", 0, 100, &v) == -EINVAL, "+1 is not taken");
	tap_ok(opt_u64(" 1", 0, 100, &v) == -EINVAL, "a leading space is not taken");
	tap_ok(opt_u64("1 ", 0, 100, &v) == -EINVAL, "a trailing space is not taken");
	tap_ok(opt_u64("12x", 0, 100, &v) == -EINVAL, "12x is not a number");
	tap_ok(opt_u64("1e3", 0, 100000, &v) == -EINVAL, "1e3 is not a number");
	tap_ok(opt_u64("0", 1, 100, &v) == -ERANGE, "0 is below 1");
	tap_ok(opt_u64("101", 1, 100, &v) == -ERANGE, "101 is above 100");
	tap_ok(!opt_u64("1", 1, 100, &v) && v == 1, "the lower bound is in the range");
	tap_ok(!opt_u64("100", 1, 100, &v) && v == 100, "the upper bound is in the range");
}

static void test_messages(void)
{
	static const struct {
		const char *s, *want;
	} cases[] = {
		{ "12x", "--steps '12x' is not a number" },
		{ "0x10", "--steps '0x10' is not a number: decimal only" },
		{ "0", "--steps must be at least 1, not '0'" },
		{ "200000001", "--steps must be at most 100000000, not '200000001'" },
		{ "99999999999999999999999", "--steps must be at most 100000000, not '99999999999999999999999'" },
	};
	char err[128];
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err[0] = '\0';
		tap_ok(opt_number("--steps", cases[i].s, 1, 100000000, &v, err, sizeof(err)) &&
		       !strcmp(err, cases[i].want), "'%s': \"%s\" (%s)", cases[i].s, cases[i].want, err);
	}
	tap_ok(!opt_number("--steps", "42", 1, 100000000, &v, err, sizeof(err)) && v == 42,
	       "a good number: 0, stored");
}

/* The error getopt_long() returns on ARGS, said in one line. */
static void getopt_said(const char *want, int nargs, ...)
{
	static const struct option longopts[] = {
		{ "mix", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ 0 }
	};
	char args[8][32] = { "steplab" }, *argv[8] = { args[0] };
	char err[128] = "";
	va_list ap;
	int c, i;

	va_start(ap, nargs);
	for (i = 1; i <= nargs; i++)
		argv[i] = strcpy(args[i], va_arg(ap, const char *));
	va_end(ap);
	optind = 0;	/* glibc: start afresh */
	opterr = 0;
	while ((c = getopt_long(nargs + 1, argv, ":m:q", longopts, NULL)) != -1)
		if (c == ':' || c == '?')
			break;
	if (c == ':' || c == '?')
		opt_getopt_error(c, argv, err, sizeof(err));
	tap_ok(!strcmp(err, want), "%s: \"%s\" (%s)", argv[nargs], want, err);
}

static void test_getopt(void)
{
	getopt_said("--mix needs a value", 1, "--mix");
	getopt_said("-m needs a value", 2, "-q", "-m");
	getopt_said("unknown option '--frob'", 1, "--frob");
	getopt_said("unknown option '-z'", 1, "-z");
	getopt_said("unknown option '-z'", 1, "-qz");
	getopt_said("", 2, "--mix", "smc:1");
}

int main(void)
{
	test_numbers();
	test_messages();
	test_getopt();
	return tap_done();
}
