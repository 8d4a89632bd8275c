// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the emulated board's initramfs (see tools/qemu-board).
 *
 * The serial console is the only channel back to the host (-nic none, no
 * disks: the board stays the measured one).  So every regular file the
 * program leaves in /out goes over the console as base64 between @@steplab
 * markers, with size and POSIX cksum so the host can refuse a mangled one;
 * the exit status is the last marker; powering off then ends QEMU.
 * Static, so /init does not depend on the libraries packed for the program.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define ARGS_FILE	"/steplab.args"
#define OUT_DIR		"/out"
/* 57 input bytes are one 76-character base64 line. */
#define B64_LINE_IN	57

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i << 24;

		for (int k = 0; k < 8; k++)
			c = (c & 0x80000000u) ? (c << 1) ^ 0x04c11db7u : c << 1;
		crc_table[i] = c;
	}
}

static uint32_t crc_add(uint32_t crc, const unsigned char *p, size_t n)
{
	while (n--)
		crc = (crc << 8) ^ crc_table[(crc >> 24) ^ *p++];
	return crc;
}

/* POSIX cksum folds the length in, low byte first, then complements. */
static uint32_t crc_finish(uint32_t crc, uint64_t len)
{
	for (; len; len >>= 8)
		crc = (crc << 8) ^ crc_table[((crc >> 24) ^ len) & 0xff];
	return ~crc;
}

static void mount_fs(const char *type, const char *dir, int required)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY && required)
		fprintf(stderr, "board-init: mount %s on %s: %s\n",
			type, dir, strerror(errno));
}

/*
 * fds 0-2 come from the /dev/console node of the kernel's built-in
 * initramfs, which a kernel built with its own INITRAMFS_SOURCE may lack
 * (and ours cannot mknod one without root): reopen it from devtmpfs.
 */
static void console_open(void)
{
	int fd = open("/dev/console", O_RDWR | O_NOCTTY);

	if (fd < 0)
		return;
	dup2(fd, 1);
	dup2(fd, 2);
	if (fd > 2)
		close(fd);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0 && fd != 0) {
		dup2(fd, 0);
		close(fd);
	}
}

static ssize_t read_full(int fd, unsigned char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n = 0;

	/* No signal handlers here, so no EINTR to retry. */
	while (got < len && (n = read(fd, buf + got, len - got)) > 0)
		got += n;
	return n < 0 ? -1 : (ssize_t)got;
}

/* argv as NUL-terminated strings; without the file, run steplab bare. */
static char **args_read(void)
{
	static char prog[] = "/bin/steplab";
	static char *fallback[] = { prog, NULL };
	char *buf = NULL, **argv;
	struct stat st;
	ssize_t len = -1;
	int fd, argc = 0;

	fd = open(ARGS_FILE, O_RDONLY);
	if (fd < 0)
		return fallback;
	if (!fstat(fd, &st))
		buf = malloc(st.st_size + 1);
	if (buf)
		len = read_full(fd, (unsigned char *)buf, st.st_size);
	close(fd);
	if (len <= 0)
		return fallback;
	if (buf[len - 1])	/* tolerate a missing final NUL */
		buf[len++] = '\0';
	for (ssize_t i = 0; i < len; i++)
		argc += !buf[i];
	argv = calloc(argc + 1, sizeof(*argv));
	if (!argv)
		return fallback;
	for (ssize_t i = 0, a = 0; i < len; i += strlen(buf + i) + 1)
		argv[a++] = buf + i;
	return argv;
}

/*
 * /steplab.signal ("SECONDS SIGNAL"), when the harness put one in: send the
 * program that signal after that many seconds of guest time, for tests of
 * how it stops.
 */
static void signal_plan(unsigned int *secs, int *sig)
{
	FILE *f = fopen("/steplab.signal", "r");

	*secs = 0;
	*sig = 0;
	if (!f)
		return;
	if (fscanf(f, "%u %d", secs, sig) != 2)
		*sig = 0;
	fclose(f);
}

static pid_t wait_or_signal(pid_t pid, int *status, unsigned int secs, int sig)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	unsigned int ticks = secs * 20;
	pid_t w;

	while (sig && ticks--) {
		w = waitpid(-1, status, WNOHANG);
		if (w == pid || w < 0)
			return w;
		nanosleep(&tick, NULL);
	}
	if (sig) {
		fprintf(stderr, "board-init: sending signal %d to %s after %u s\n",
			sig, "the program", secs);
		kill(pid, sig);
	}
	/* As PID 1 we also inherit orphans; reap them until ours ends. */
	while ((w = wait(status)) != pid && w >= 0)
		;
	return w;
}

static int run(char **argv)
{
	unsigned int secs;
	pid_t pid, w = -1;
	int status, sig;

	signal_plan(&secs, &sig);
	fflush(NULL);
	pid = fork();
	if (!pid) {
		execv(argv[0], argv);
		fprintf(stderr, "board-init: exec %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (pid > 0)
		w = wait_or_signal(pid, &status, secs, sig);
	if (w < 0) {
		fprintf(stderr, "board-init: run %s: %s\n", argv[0],
			strerror(errno));
		return 127;
	}
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

static void b64_line(const unsigned char *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[80], *o = line;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = p[i] << 16;

		v |= i + 1 < n ? p[i + 1] << 8 : 0;
		v |= i + 2 < n ? p[i + 2] : 0;
		*o++ = tab[v >> 18];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < n ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? tab[v & 63] : '=';
	}
	*o++ = '\n';
	fwrite(line, 1, o - line, stdout);
}

/*
 * Two passes over the file, so that the header carries size and cksum
 * and a file of any size streams through a fixed buffer.  Chunks are a
 * whole number of base64 lines, so lines never straddle two reads.
 */
static void file_send(int dirfd, const char *name)
{
	static unsigned char buf[B64_LINE_IN * 1024];
	uint32_t crc = 0;
	uint64_t size = 0;
	ssize_t n;
	int fd;

	fd = openat(dirfd, name, O_RDONLY);
	if (fd < 0)
		goto err;
	while ((n = read_full(fd, buf, sizeof(buf))) > 0) {
		crc = crc_add(crc, buf, n);
		size += n;
	}
	if (n < 0 || lseek(fd, 0, SEEK_SET))
		goto err_close;
	printf("@@steplab-file %s %llu %u\n", name, (unsigned long long)size,
	       crc_finish(crc, size));
	while ((n = read_full(fd, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i += B64_LINE_IN)
			b64_line(buf + i, n - i < B64_LINE_IN ? n - i : B64_LINE_IN);
	/* A read error here leaves a short file: the host's check catches it. */
	printf("@@steplab-end %s\n", name);
	close(fd);
	return;
err_close:
	close(fd);
err:
	fprintf(stderr, "board-init: cannot send %s: %s\n", name,
		strerror(errno));
}

static void out_send(void)
{
	struct dirent **ents;
	struct stat st;
	int dirfd, n;

	dirfd = open(OUT_DIR, O_RDONLY | O_DIRECTORY);
	n = dirfd < 0 ? -1 : scandir(OUT_DIR, &ents, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "board-init: cannot list %s: %s\n", OUT_DIR,
			strerror(errno));
		return;
	}
	for (int i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;

		/* stderr is unbuffered: keep its notes outside any block. */
		fflush(stdout);
		/* The marker lines are line-based: such a name cannot travel. */
		if (strchr(name, '\n'))
			fprintf(stderr, "board-init: not sending a name with a newline\n");
		else if (!fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) &&
			 S_ISREG(st.st_mode))
			file_send(dirfd, name);
		free(ents[i]);
	}
	free(ents);
	close(dirfd);
}

/*
 * /steplab.env, when the harness put one in: KEY=VALUE lines for the
 * program's environment.  STEPLAB_HOST_TIME (seconds since the epoch, the
 * host's clock when it started QEMU) also sets the clock: a kernel without
 * an RTC driver would otherwise date its reports 1970-01-01.
 */
static void env_load(void)
{
	FILE *f = fopen("/steplab.env", "r");
	char line[512], *eq;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		eq = strchr(line, '=');
		if (!eq || eq == line)
			continue;
		*eq = '\0';
		setenv(line, eq + 1, 1);
	}
	fclose(f);
	if (getenv("STEPLAB_HOST_TIME")) {
		struct timespec ts = { .tv_sec = strtoll(getenv("STEPLAB_HOST_TIME"), NULL, 10) };

		if (ts.tv_sec > 0 && clock_settime(CLOCK_REALTIME, &ts))
			fprintf(stderr, "board-init: setting the clock: %s\n", strerror(errno));
	}
}

/*
 * Several commands in one boot: argv holds them separated by "+++".  Each
 * runs in turn; the status is the first non-zero one, and with more than
 * one command every status is also left in /out/commands.status.
 */
static int run_all(char **argv)
{
	char **cmd = argv;
	int status = 0, st, n = 0;
	FILE *log = NULL;

	for (char **a = argv;; a++) {
		bool last = !*a;

		if (!last && strcmp(*a, "+++"))
			continue;
		*a = NULL;
		if (*cmd) {
			st = run(cmd);
			if (!status)
				status = st;
			if (n || !last) {
				if (!log)
					log = fopen(OUT_DIR "/commands.status", "w");
				if (log)
					fprintf(log, "%d %d %s\n", n, st, cmd[0]);
			}
			n++;
		}
		if (last)
			break;
		cmd = a + 1;
	}
	if (log)
		fclose(log);
	return status;
}

/*
 * The board lets its counters be read from user space, as a lab sets up
 * a board for steplab (kernel.perf_user_access=1, arm64, Linux 5.17+),
 * unless the kernel command line says otherwise (sysctl.kernel.
 * perf_user_access=0: the tests of the read(2) fallback).
 */
static void user_access_allow(void)
{
	char cmdline[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(cmdline, sizeof(cmdline), f))
			cmdline[0] = '\0';
		fclose(f);
	}
	if (strstr(cmdline, "perf_user_access="))
		return;
	f = fopen("/proc/sys/kernel/perf_user_access", "w");
	if (!f)
		return;
	fputs("1\n", f);
	fclose(f);
}

int main(void)
{
	int status;

	mount_fs("devtmpfs", "/dev", 1);
	console_open();
	/* Full buffering: the markers go out in large writes. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	mount_fs("proc", "/proc", 1);
	mount_fs("sysfs", "/sys", 1);
	mount_fs("tracefs", "/sys/kernel/tracing", 0);
	mount_fs("debugfs", "/sys/kernel/debug", 0);
	mount_fs("configfs", "/sys/kernel/config", 0);

	user_access_allow();
	crc_init();
	if ((mkdir(OUT_DIR, 0755) && errno != EEXIST) || chdir(OUT_DIR))
		fprintf(stderr, "board-init: %s: %s\n", OUT_DIR, strerror(errno));
	setenv("PATH", "/bin", 1);
	setenv("STEPLAB_BOARD_DIR", "/boards", 1);
	setenv("STEPLAB_EMULATED", "1", 1);
	env_load();

	status = run_all(args_read());

	out_send();
	printf("@@steplab-exit %d\n", status);
	fflush(stdout);
	/* Power-off does not wait for the UART: drain it, or lose the tail. */
	tcdrain(1);
	sync();
	reboot(RB_POWER_OFF);
	/* PID 1 must not exit: the kernel would panic over our last words. */
	for (;;)
		pause();
}
