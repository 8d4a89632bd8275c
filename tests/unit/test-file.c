// SPDX-License-Identifier: GPL-2.0
/*
 * Output files (bench/lib/file.c): whole or not at all, with a plain file's
 * mode, and nothing left beside them.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib/file.h"
#include "tap.h"

static char dir[] = "/tmp/steplab-test-file.XXXXXX";

/* Files in dir, the named one aside. */
static int others(const char *name)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.' && strcmp(e->d_name, name))
			n++;
	if (d)
		closedir(d);
	return n;
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) ? (mode_t)-1 : st.st_mode & 0777;
}

int main(void)
{
	char path[256], err[8192], big[5000];
	struct file_stream s;
	FILE *f;

	umask(022);
	if (!mkdtemp(dir))
		return 1;

	snprintf(path, sizeof(path), "%s/atomic.json", dir);
	tap_ok(!file_write_atomic(path, "{}\n", 3, err, sizeof(err)), "file_write_atomic writes");
	tap_ok(mode_of(path) == 0644, "with 0666 less the umask (%o)", mode_of(path));
	tap_ok(!others("atomic.json"), "and nothing beside it");
	unlink(path);

	snprintf(path, sizeof(path), "%s/trace.csv", dir);
	tap_ok(!file_stream_open(&s, path, err, sizeof(err)), "file_stream_open opens");
	fputs("a,b\n", s.f);
	tap_ok(access(path, F_OK) && errno == ENOENT, "the stream is not at its path before it is kept");
	tap_ok(!file_stream_close(&s, path, true, err, sizeof(err)), "kept, it lands");
	tap_ok(mode_of(path) == 0644, "with 0666 less the umask, as a plain file (%o)", mode_of(path));
	f = fopen(path, "r");
	tap_ok(f && fgets(big, sizeof(big), f) && !strcmp(big, "a,b\n"), "whole");
	if (f)
		fclose(f);
	tap_ok(!others("trace.csv"), "nothing beside it");
	unlink(path);

	tap_ok(!file_stream_open(&s, path, err, sizeof(err)) &&
	       !file_stream_close(&s, path, false, err, sizeof(err)) &&
	       access(path, F_OK) && !others(""), "not kept: no file at all");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tap_ok(file_write_atomic(big, "", 0, err, sizeof(err)) == -ENAMETOOLONG &&
	       strstr(err, "path too long"), "a path too long: -ENAMETOOLONG, said");
	snprintf(path, sizeof(path), "%s/none/x.json", dir);
	tap_ok(file_stream_open(&s, path, err, sizeof(err)) == -ENOENT && !s.f &&
	       strstr(err, "cannot create a file beside it"), "a missing directory: -ENOENT (%s)", err);

	/* one-number files, as /proc/sys holds them */
	{
		long v = 0;
		int ret;

		snprintf(path, sizeof(path), "%s/sysctl", dir);
		ret = file_write_atomic(path, "1\n", 2, err, sizeof(err));
		tap_ok(!ret && !file_read_long(path, &v) && v == 1, "file_read_long: a sysctl's 1");
		ret = file_write_atomic(path, "on\n", 3, err, sizeof(err));
		tap_ok(!ret && file_read_long(path, &v) == -EINVAL, "file_read_long: no number: -EINVAL");
		unlink(path);
		tap_ok(file_read_long(path, &v) == -ENOENT, "file_read_long: no file: -ENOENT");
	}
	rmdir(dir);
	return tap_done();
}
