/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every parser owes its caller, asserted by the libFuzzer targets
 * beside this file: a failure leaves one non-empty line in err, a success
 * leaves err alone, and the same input gives the same answer twice.  A
 * broken promise aborts, which libFuzzer keeps as a crashing input.
 */
#ifndef STEPLAB_FUZZ_H
#define STEPLAB_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define fuzz_assert(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant broken: %s\n",	\
			__FILE__, __LINE__, #cond);			\
		abort();						\
	}								\
} while (0)

/* One line: printable text, no line breaks or other control bytes. */
static inline bool fuzz_one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/*
 * @err was "" before the call that returned @ret.  A message starts with
 * @prefix when one is given (the file name the parser was handed).
 */
static inline void fuzz_check_message(int ret, const char *err, size_t len,
				      const char *prefix)
{
	fuzz_assert(memchr(err, '\0', len));
	if (!ret) {
		fuzz_assert(err[0] == '\0');
		return;
	}
	fuzz_assert(ret < 0);
	fuzz_assert(err[0] != '\0');
	fuzz_assert(fuzz_one_line(err));
	if (prefix)
		fuzz_assert(!strncmp(err, prefix, strlen(prefix)));
}

#endif
