// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's side of tests/board/gpio.sh: the emulated board runs one program,
 * and this is it.  It makes a gpio-sim bank through configfs, then runs
 * commands one after another while it samples every line's value from
 * gpio-sim's sysfs (sim_gpioN/value: what the line drives, or its pull
 * when no one holds it), and writes what it saw to /out/probe.txt:
 *
 *   sim LABEL DEV CHIP               the bank: label, platform device, chip
 *   run N exit STATUS                command N's exit status
 *   run N at MS NAME=V NAME=V ...    the lines, first and at each change
 *   run N end NAME=V ...             the lines once the command is gone
 *
 * Its stdout and stderr land in /out/runN.out and /out/runN.err.
 *
 * usage: gpio-sim-probe LABEL NAME[:hog]... \; STEP \; STEP ...
 *   STEP: pull NAME up|down      set a line's pull (its value when free)
 *         run PROGRAM ARGS...    run and sample until it exits
 * A NAME:hog line is held by the kernel (a gpio-sim hog, output high,
 * consumer "steplab-hog"): requesting it must fail as busy.
 *
 * Static, without libgpiod: only configfs, sysfs and the program run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CFG		"/sys/kernel/config/gpio-sim/probe"
#define MAX_LINES	8
#define SAMPLE_NS	1000000	/* 1 ms */

static char *names[MAX_LINES];
static int nlines;
static char sysdir[256];	/* /sys/devices/platform/gpio-sim.N/gpiochipM */
static FILE *out;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "gpio-sim-probe: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, ": %s\n", strerror(errno));
	va_end(ap);
	exit(1);
}

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die("writing '%s' to %s", val, path);
	close(fd);
}

static void get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || (n = read(fd, buf, len - 1)) < 0)
		die("reading %s", path);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	close(fd);
}

static void dir(const char *path)
{
	if (mkdir(path, 0755))
		die("mkdir %s", path);
}

/* One bank, lines at offsets 0.. in the order named. */
static void sim_make(const char *label, char **lines, int n)
{
	char path[256], val[64], devname[64], chip[64];
	int i;

	dir(CFG);
	dir(CFG "/bank0");
	put(CFG "/bank0/label", label);
	snprintf(val, sizeof(val), "%d", n);
	put(CFG "/bank0/num_lines", val);
	for (i = 0; i < n; i++) {
		char *hog = strstr(lines[i], ":hog");

		if (hog)
			*hog = '\0';
		names[i] = lines[i];
		snprintf(path, sizeof(path), CFG "/bank0/line%d", i);
		dir(path);
		snprintf(path, sizeof(path), CFG "/bank0/line%d/name", i);
		put(path, names[i]);
		if (!hog)
			continue;
		snprintf(path, sizeof(path), CFG "/bank0/line%d/hog", i);
		dir(path);
		snprintf(path, sizeof(path), CFG "/bank0/line%d/hog/name", i);
		put(path, "steplab-hog");
		snprintf(path, sizeof(path), CFG "/bank0/line%d/hog/direction", i);
		put(path, "output-high");
	}
	nlines = n;
	put(CFG "/live", "1");
	get(CFG "/dev_name", devname, sizeof(devname));
	get(CFG "/bank0/chip_name", chip, sizeof(chip));
	snprintf(sysdir, sizeof(sysdir), "/sys/devices/platform/%s/%s", devname, chip);
	fprintf(out, "sim %s %s %s\n", label, devname, chip);
}

static int line_index(const char *name)
{
	int i;

	for (i = 0; i < nlines; i++)
		if (!strcmp(names[i], name))
			return i;
	errno = ENOENT;
	die("no line %s", name);
	return -1;
}

static void pull(const char *name, const char *how)
{
	char path[320];

	snprintf(path, sizeof(path), "%s/sim_gpio%d/pull", sysdir, line_index(name));
	put(path, !strcmp(how, "up") ? "pull-up" : "pull-down");
}

static void sample(char *vals)
{
	char path[320], buf[8];
	int i;

	for (i = 0; i < nlines; i++) {
		snprintf(path, sizeof(path), "%s/sim_gpio%d/value", sysdir, i);
		get(path, buf, sizeof(buf));
		vals[i] = buf[0];
	}
}

static void line_print(int run, const char *what, long ms, const char *vals)
{
	int i;

	fprintf(out, "run %d %s", run, what);
	if (ms >= 0)
		fprintf(out, " %ld", ms);
	for (i = 0; i < nlines; i++)
		fprintf(out, " %s=%c", names[i], vals[i]);
	fputc('\n', out);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static void redirect(int fd, int run, const char *ext)
{
	char path[64];
	int f;

	snprintf(path, sizeof(path), "/out/run%d.%s", run, ext);
	f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (f < 0 || dup2(f, fd) < 0)
		_exit(126);
	close(f);
}

static void run(int n, char **argv)
{
	struct timespec t0, nap = { 0, SAMPLE_NS };
	char now[MAX_LINES], last[MAX_LINES];
	int status;
	pid_t pid;

	sample(last);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	line_print(n, "at", 0, last);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (!pid) {
		redirect(1, n, "out");
		redirect(2, n, "err");
		execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, WNOHANG) == 0) {
		sample(now);
		if (memcmp(now, last, nlines)) {
			line_print(n, "at", ms_since(&t0), now);
			memcpy(last, now, nlines);
		}
		nanosleep(&nap, NULL);
	}
	sample(now);
	fprintf(out, "run %d exit %d\n", n, WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status));
	line_print(n, "end", -1, now);
}

int main(int argc, char **argv)
{
	int i, j, n = 0;

	out = fopen("/out/probe.txt", "w");
	if (!out)
		die("/out/probe.txt");
	for (i = 2; i < argc && strcmp(argv[i], ";"); i++)
		;
	if (argc < 3 || i - 2 > MAX_LINES) {
		fprintf(stderr, "usage: gpio-sim-probe LABEL NAME[:hog]... ; STEP ; ...\n");
		return 2;
	}
	sim_make(argv[1], argv + 2, i - 2);
	while (i < argc) {
		for (j = ++i; j < argc && strcmp(argv[j], ";"); j++)
			;
		argv[j < argc ? j : argc] = NULL;
		if (i < j && !strcmp(argv[i], "pull") && j - i == 3)
			pull(argv[i + 1], argv[i + 2]);
		else if (i < j && !strcmp(argv[i], "run") && j - i >= 2)
			run(++n, argv + i + 1);
		else if (i < j)
			fprintf(stderr, "gpio-sim-probe: bad step '%s'\n", argv[i]);
		i = j;
	}
	fclose(out);
	return 0;
}
