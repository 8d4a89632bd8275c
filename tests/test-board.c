// SPDX-License-Identifier: GPL-2.0
/* Board files: the shipped ones load, malformed ones name file and field. */
#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "board.h"
#include "tap.h"

static void test_reference(void)
{
	struct board b;
	char err[512];

	tap_ok(!board_load("boards/qemu-virt.json", &b, err, sizeof(err)), "qemu-virt loads (%s)", err);
	tap_ok(!strcmp(b.name, "qemu-virt") && b.emulated && !strcmp(b.kvm_mode, "vhe"),
	       "it is the emulated VHE reference board");
	tap_ok(b.expect[CLASS_SYSREG].board && b.expect[CLASS_SYSREG].guest_lo == 0 &&
	       b.expect[CLASS_SYSREG].guest_hi == 2 && b.expect[CLASS_SYSREG].quirk &&
	       strstr(b.expect[CLASS_SYSREG].quirk, "QEMU"), "it records the sysreg quirk (0..2)");
	tap_ok(b.expect[CLASS_EXCEPTION].guest_lo == 2 && b.expect[CLASS_EXCEPTION].guest_hi == 2,
	       "an exact count is a range of one");
	tap_ok(!b.expect[CLASS_UNTRAPPED].board && b.expect[CLASS_UNTRAPPED].guest_lo == 1 &&
	       b.expect[CLASS_UNTRAPPED].guest_hi == 1, "untrapped keeps the default (exactly 1)");
	board_defaults(&b);
	tap_ok(!strcmp(b.name, "unknown") && !b.expect[CLASS_HVC].board &&
	       b.expect[CLASS_HVC].guest_lo == 0 && b.expect[CLASS_HVC].guest_hi == 1,
	       "defaults: an emulated step retires at most 1");
}

static void test_dir(const char *dir, bool want_ok)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct board b;
	char path[512], err[512];
	int n = 0, ret;

	while (d && (e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		err[0] = '\0';
		ret = board_load(path, &b, err, sizeof(err));
		if (want_ok)
			tap_ok(!ret, "%s loads", path);
		else
			tap_ok(ret == -EINVAL && !strncmp(err, path, strlen(path)) &&
			       err[strlen(path)] == ':' && !strchr(err, '\n'),
			       "%s refused: %s", path, err);
		n++;
	}
	if (d)
		closedir(d);
	tap_ok(n > 0, "%s holds board files", dir);
}

int main(void)
{
	struct board b;
	char err[512];

	test_reference();
	test_dir("boards", true);
	test_dir("tests/data/boards", false);
	tap_ok(board_load("tests/data/nope.json", &b, err, sizeof(err)) == -ENOENT &&
	       strstr(err, "tests/data/nope.json"), "a missing file is -ENOENT: %s", err);
	return tap_done();
}
