// SPDX-License-Identifier: GPL-2.0
/*
 * Tracepoints by name: their ids in tracefs, and the kvm:kvm_exit event
 * the signal re-entry path arms.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "host/tracefs.h"

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

int tracepoint_id(const char *sys, const char *name, uint64_t *id)
{
	char path[256], buf[32];
	unsigned int i;
	ssize_t n;
	int fd;

	for (i = 0; i < sizeof(tracefs_roots) / sizeof(tracefs_roots[0]); i++) {
		snprintf(path, sizeof(path), "%s/events/%s/%s/id",
			 tracefs_roots[i], sys, name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		*id = strtoull(buf, NULL, 10);
		return 0;
	}
	return -ENOENT;
}

int exit_signal_open(int sig, char *why, size_t len)
{
	struct perf_event_attr attr = {
		.size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT,
		.sample_period = 1, .wakeup_events = 1, .disabled = 1,
	};
	struct f_owner_ex owner = { .type = F_OWNER_TID, .pid = (pid_t)gettid() };
	uint64_t id;
	int fd, ret;

	if (tracepoint_id("kvm", "kvm_exit", &id)) {
		snprintf(why, len, "tracepoint kvm:kvm_exit not found in tracefs");
		return -ENOENT;
	}
	attr.config = id;
	fd = (int)syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0) {
		ret = -errno;
		snprintf(why, len, "perf_event_open(kvm:kvm_exit, sampling): %s", strerror(-ret));
		return ret;
	}
	/* the overflow's wakeup sends @sig to this thread (fasync) */
	if (fcntl(fd, F_SETOWN_EX, &owner) || fcntl(fd, F_SETSIG, sig) ||
	    fcntl(fd, F_SETFL, O_ASYNC)) {
		ret = -errno;
		snprintf(why, len, "fcntl on the kvm:kvm_exit event: %s", strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}

/* One overflow, then the event disables itself (PERF_EVENT_IOC_REFRESH). */
int exit_signal_arm(int fd)
{
	return ioctl(fd, PERF_EVENT_IOC_REFRESH, 1) ? -errno : 0;
}

int exit_signal_disarm(int fd)
{
	return ioctl(fd, PERF_EVENT_IOC_DISABLE, 0) ? -errno : 0;
}
