/* SPDX-License-Identifier: GPL-2.0 */
/* Output files, written whole or not at all; one-number files read. */
#ifndef STEPLAB_FILE_H
#define STEPLAB_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Writes @n bytes of @buf to @path through a temporary file beside it,
 * synced and renamed into place: a reader sees the old file or the new
 * one, never part of one.  0, or -errno with err naming the path.
 */
int file_write_atomic(const char *path, const char *buf, size_t n, char *err, size_t len);

/* A stream that lands the same way: through a temporary file beside it. */
struct file_stream {
	char tmp[4096];
	FILE *f;
};

/* Opens @s for @path; 0, or -errno with err "PATH: reason". */
int file_stream_open(struct file_stream *s, const char *path, char *err, size_t len);
/*
 * Closes @s: with @keep, synced and renamed to @path (-EIO with err
 * "PATH: reason" when that fails); without, the temporary file removed.
 * Nothing to do when @s was never opened.
 */
int file_stream_close(struct file_stream *s, const char *path, bool keep, char *err, size_t len);

/* The integer a one-number file holds (a sysctl): 0, -errno, or -EINVAL. */
int file_read_long(const char *path, long *v);

/* 0 when @path's directory can be written, else -errno with the reason in err. */
int file_dir_writable(const char *path, char *err, size_t len);

#endif
