/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line options: one checked number parser and one way of saying
 * what was wrong, for every command.  Numbers are decimal only: a leading
 * 0 is not octal and 0x is refused, so "--seed 010" is ten.
 */
#ifndef STEPLAB_OPT_H
#define STEPLAB_OPT_H

#include <stddef.h>
#include <stdint.h>

/*
 * @s as a decimal number from @lo to @hi: 0, -EINVAL when it is not one
 * (empty, a sign, a space, any other character), -ERANGE outside the range
 * (also past UINT64_MAX).
 */
int opt_u64(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);

/*
 * opt_u64() for option @name, with what is wrong in @err:
 * "--steps '12x' is not a number", "--steps must be at least 1, not '0'".
 */
int opt_number(const char *name, const char *s, uint64_t lo, uint64_t hi, uint64_t *out,
	       char *err, size_t len);

/*
 * What getopt_long() (with ':' leading its short options) complained of,
 * from its return @c and the argv it was parsing: "--mix needs a value" or
 * "unknown option '--frob'".
 */
void opt_getopt_error(int c, char *const *argv, char *err, size_t len);

/*
 * The commands' one voice for a bad command line, so it reads the same in
 * each: one line on stderr, "steplab CMD: ...".  Unlike the rest of lib/
 * they print; they return -EINVAL, and the command exits EXIT_USAGE.
 */
/* "steplab CMD: MESSAGE (see 'steplab CMD --help')" */
int opt_usage(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* getopt_long()'s error return @c, said as opt_usage() says it */
int opt_bad(const char *cmd, int c, char *const *argv);
/* opt_number(), its error said on stderr */
int opt_num(const char *cmd, const char *name, const char *s, uint64_t lo, uint64_t hi,
	    uint64_t *out);
/* opt_num() for an unsigned int */
int opt_uint(const char *cmd, const char *name, const char *s, unsigned int lo, unsigned int hi,
	     unsigned int *out);

#endif
