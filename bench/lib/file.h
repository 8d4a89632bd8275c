/* SPDX-License-Identifier: GPL-2.0 */
/* Output files: written whole or not at all. */
#ifndef STEPLAB_FILE_H
#define STEPLAB_FILE_H

#include <stddef.h>

/*
 * Writes @n bytes of @buf to @path through a temporary file beside it,
 * synced and renamed into place: a reader sees the old file or the new
 * one, never part of one.  0, or -errno with err naming the path.
 */
int file_write_atomic(const char *path, const char *buf, size_t n, char *err, size_t len);

#endif
