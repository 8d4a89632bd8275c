/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Error messages are one line, but they quote their input: a JSON string
 * holding "\n", the byte Jansson stopped at, a mix term.  Quoted control
 * bytes are shown as '?' so the line stays one line.
 */
#ifndef STEPLAB_MSG_H
#define STEPLAB_MSG_H

#include <stddef.h>

/* Replaces every control byte of the message in @s (of size @len) with '?'. */
static inline void msg_one_line(char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && s[i]; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			s[i] = '?';
}

#endif
