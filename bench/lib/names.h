/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tables of names indexed by an enum (classes, effects, re-entry paths,
 * designs, identity dimensions): one bounds check and one search serve
 * them all.  Inline, so that tools/mkcatalog links catalog.c alone.
 */
#ifndef STEPLAB_NAMES_H
#define STEPLAB_NAMES_H

#include <stddef.h>
#include <string.h>

/* @names[@i], or "?" for an index past the table's @n. */
static inline const char *names_at(const char *const *names, size_t n, unsigned int i)
{
	return i < n ? names[i] : "?";
}

/* The index of @name among the @n @names, or -1 when none is @name. */
static inline int names_find(const char *const *names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return (int)i;
	return -1;
}

#endif
