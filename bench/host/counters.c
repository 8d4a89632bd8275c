// SPDX-License-Identifier: GPL-2.0
/*
 * Counters through libperf.  libperf (6.1) builds and opens the group, but
 * its group read returns only the leader's value and allocates on every
 * call.  steplab therefore finds the leader's fd once, by the event id
 * libperf reports for it (PERF_EVENT_IOC_ID), and reads the whole group
 * with one read(2) per KVM_RUN, into a buffer it owns.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include <perf/core.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/threadmap.h>

#include "host/counters.h"

static const char *const tracefs_roots[] = {
	"/sys/kernel/tracing",
	"/sys/kernel/debug/tracing",
};

static int tracepoint_id(const char *sys, const char *name, uint64_t *id)
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

static const struct {
	const char *sys, *name;
} tracepoints[] = {
	{ "kvm", "kvm_entry" },
	{ "kvm", "kvm_exit" },
	{ "irq", "irq_handler_entry" },
};

/* PMUv3 common event numbers, for raw events on a named PMU */
#define PMUV3_INST_RETIRED	0x08
#define PMUV3_CPU_CYCLES	0x11

static int metric_attr(const struct counters *c, enum metric m,
		       struct perf_event_attr *attr, char *why, size_t len)
{
	bool raw = c->pmu_type >= 0;
	uint64_t id;

	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->read_format = PERF_FORMAT_GROUP | PERF_FORMAT_ID |
			    PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	switch (m) {
	case M_GUEST_INSNS:
	case M_HOST_INSNS:
		attr->type = raw ? (uint32_t)c->pmu_type : PERF_TYPE_HARDWARE;
		attr->config = raw ? PMUV3_INST_RETIRED : PERF_COUNT_HW_INSTRUCTIONS;
		attr->exclude_host = m == M_GUEST_INSNS;
		attr->exclude_guest = m == M_HOST_INSNS;
		return 0;
	case M_CYCLES:
		attr->type = raw ? (uint32_t)c->pmu_type : PERF_TYPE_HARDWARE;
		attr->config = raw ? PMUV3_CPU_CYCLES : PERF_COUNT_HW_CPU_CYCLES;
		return 0;
	case M_CSWITCHES:
	case M_FAULTS:
		attr->type = PERF_TYPE_SOFTWARE;
		attr->config = m == M_CSWITCHES ? PERF_COUNT_SW_CONTEXT_SWITCHES :
						  PERF_COUNT_SW_PAGE_FAULTS;
		return 0;
	case M_ENTRIES:
	case M_KVM_EXITS:
	case M_IRQS:
		if (tracepoint_id(tracepoints[m - M_ENTRIES].sys,
				  tracepoints[m - M_ENTRIES].name, &id)) {
			snprintf(why, len, "tracepoint %s:%s not found in tracefs",
				 tracepoints[m - M_ENTRIES].sys, tracepoints[m - M_ENTRIES].name);
			return -ENOENT;
		}
		attr->type = PERF_TYPE_TRACEPOINT;
		attr->config = id;
		return 0;
	default:
		return -EINVAL;
	}
}

static int silent(enum libperf_print_level level, const char *fmt, va_list ap)
{
	(void)level; (void)fmt; (void)ap;
	return 0;
}

/* Opens one event alone, to learn whether this machine has it. */
static int probe(struct counters *c, enum metric m)
{
	struct perf_event_attr attr;
	struct perf_evsel *evsel;
	int ret;

	ret = metric_attr(c, m, &attr, c->why[m], sizeof(c->why[m]));
	if (ret)
		return ret;
	attr.read_format = 0;
	evsel = perf_evsel__new(&attr);
	if (!evsel)
		return -ENOMEM;
	ret = perf_evsel__open(evsel, c->cpus, c->threads);
	if (ret)
		snprintf(c->why[m], sizeof(c->why[m]), "perf_event_open: %s",
			 strerror(-ret));
	else
		perf_evsel__close(evsel);
	perf_evsel__delete(evsel);
	return ret;
}

static int find_fd_by_id(uint64_t want)
{
	struct dirent *d;
	uint64_t id;
	DIR *dir;
	int fd, found = -ENOENT;

	dir = opendir("/proc/self/fd");
	if (!dir)
		return -errno;
	while ((d = readdir(dir))) {
		fd = atoi(d->d_name);
		if (d->d_name[0] == '.' || fd == dirfd(dir))
			continue;
		if (!ioctl(fd, PERF_EVENT_IOC_ID, &id) && id == want) {
			found = fd;
			break;
		}
	}
	closedir(dir);
	return found;
}

static int group_open(struct counters *c)
{
	struct perf_event_attr attr;
	struct perf_counts_values cv;
	struct perf_evsel *evsel, *leader = NULL;
	unsigned int m;
	int ret;

	c->evlist = perf_evlist__new();
	if (!c->evlist)
		return -ENOMEM;
	for (m = 0; m < M_COUNTERS; m++) {
		if (!(c->have & (1u << m)))
			continue;
		metric_attr(c, m, &attr, c->why[m], sizeof(c->why[m]));
		evsel = perf_evsel__new(&attr);
		if (!evsel)
			return -ENOMEM;
		perf_evlist__add(c->evlist, evsel);
		if (!leader)
			leader = evsel;
		c->slot[m] = (int)c->nr++;
	}
	perf_evlist__set_maps(c->evlist, c->cpus, c->threads);
	perf_evlist__set_leader(c->evlist);
	ret = perf_evlist__open(c->evlist);
	if (ret)
		return ret;
	ret = perf_evsel__read(leader, 0, 0, &cv);
	if (ret)
		return ret;
	c->leader_fd = find_fd_by_id(cv.id);
	return c->leader_fd < 0 ? c->leader_fd : 0;
}

int counters_open(struct counters *c, int pmu_type)
{
	return counters_open_with(c, pmu_type, 0);
}

int counters_open_with(struct counters *c, int pmu_type, uint32_t extra)
{
	unsigned int m;
	int ret;

	memset(c, 0, sizeof(*c));
	c->leader_fd = -1;
	c->pmu_type = pmu_type;
	for (m = 0; m < M_COUNTERS; m++)
		c->slot[m] = -1;
	libperf_init(silent);
	c->cpus = perf_cpu_map__dummy_new();
	c->threads = perf_thread_map__new_dummy();
	if (!c->cpus || !c->threads) {
		ret = -ENOMEM;
		goto err;
	}
	/* pid 0: the calling thread, which is the one that runs the vCPU. */
	perf_thread_map__set_pid(c->threads, 0, 0);
	for (m = 0; m < M_COUNTERS; m++) {
		if ((COUNTERS_ON_REQUEST & ~extra) & (1u << m))
			snprintf(c->why[m], sizeof(c->why[m]),
				 "not asked for (run --count-perturbations)");
		else if (!probe(c, m))
			c->have |= 1u << m;
	}
	if (!c->have) {
		ret = -ENOENT;
		goto err;
	}
	ret = group_open(c);
	if (ret)
		goto err;
	return 0;
err:
	counters_close(c);
	return ret;
}

int counters_read(struct counters *c, uint64_t vals[M_COUNTERS])
{
	size_t len = (3 + 2 * c->nr) * sizeof(uint64_t);
	unsigned int m;

	if (read(c->leader_fd, c->buf, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	/* GROUP|ID|TOTAL_TIME_*: nr, enabled, running, then { value, id } each */
	c->enabled = c->buf[1];
	c->running = c->buf[2];
	for (m = 0; m < M_COUNTERS; m++)
		vals[m] = c->slot[m] < 0 ? 0 : c->buf[3 + 2 * c->slot[m]];
	return 0;
}

void counters_close(struct counters *c)
{
	/*
	 * The evlist and each evsel hold references of their own to the
	 * maps, and libperf 6.1's perf_evsel__delete() frees an evsel
	 * without dropping its: unsetting the maps drops them all first.
	 */
	if (c->evlist) {
		perf_evlist__close(c->evlist);
		perf_evlist__set_maps(c->evlist, NULL, NULL);
	}
	perf_evlist__delete(c->evlist);
	perf_cpu_map__put(c->cpus);
	perf_thread_map__put(c->threads);
	c->evlist = NULL;
	c->cpus = NULL;
	c->threads = NULL;
	c->leader_fd = -1;
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
