// SPDX-License-Identifier: GPL-2.0
/* Output files: written whole or not at all. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib/file.h"

static mode_t process_umask(void)
{
	mode_t m = umask(0);

	umask(m);
	return m;
}

/* write(2) until done: a short write is followed by the one that says why. */
static int write_all(int fd, const char *buf, size_t n)
{
	ssize_t w;

	while (n) {
		w = write(fd, buf, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * A new file beside @path, named in @tmp (@size bytes), with the mode a
 * plain creat(2) would give: 0666 less the umask, not mkstemp's 0600.
 * The descriptor, or -errno with err "PATH: reason".
 */
static int tmp_beside(const char *path, char *tmp, size_t size, char *err, size_t len)
{
	int fd, ret;

	if (snprintf(tmp, size, "%s.tmp.XXXXXX", path) >= (int)size) {
		snprintf(err, len, "%s: path too long", path);
		return -ENAMETOOLONG;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, len, "%s: cannot create a file beside it: %s", path, strerror(errno));
		return ret;
	}
	if (fchmod(fd, 0666 & ~process_umask())) {
		ret = -errno;
		snprintf(err, len, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		return ret;
	}
	return fd;
}

int file_write_atomic(const char *path, const char *buf, size_t n, char *err, size_t len)
{
	char tmp[4096];
	int fd, ret;

	fd = tmp_beside(path, tmp, sizeof(tmp), err, len);
	if (fd < 0)
		return fd;
	ret = write_all(fd, buf, n);
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (!ret)
		return 0;
	snprintf(err, len, "%s: write failed: %s", path, strerror(-ret));
	unlink(tmp);
	return ret;
}

int file_stream_open(struct file_stream *s, const char *path, char *err, size_t len)
{
	int fd, ret;

	s->f = NULL;
	fd = tmp_beside(path, s->tmp, sizeof(s->tmp), err, len);
	if (fd < 0)
		return fd;
	s->f = fdopen(fd, "w");
	if (s->f)
		return 0;
	ret = -errno;
	snprintf(err, len, "%s: %s", path, strerror(errno));
	close(fd);
	unlink(s->tmp);
	return ret;
}

int file_stream_close(struct file_stream *s, const char *path, bool keep, char *err, size_t len)
{
	int bad;

	if (!s->f)
		return 0;
	bad = fflush(s->f) || ferror(s->f) || fsync(fileno(s->f));
	bad |= fclose(s->f);
	s->f = NULL;
	if (bad || !keep || rename(s->tmp, path)) {
		if (keep)
			snprintf(err, len, "%s: %s", path, strerror(errno));
		unlink(s->tmp);
		return keep ? -EIO : 0;
	}
	return 0;
}

int file_dir_writable(const char *path, char *err, size_t len)
{
	char *dup = strdup(path);
	int ret;

	if (!dup) {
		snprintf(err, len, "%s: out of memory", path);
		return -ENOMEM;
	}
	ret = access(dirname(dup), W_OK) ? -errno : 0;
	free(dup);
	if (ret)
		snprintf(err, len, "%s: directory not writable: %s", path, strerror(-ret));
	return ret;
}

int file_read_long(const char *path, long *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%ld", v) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}
