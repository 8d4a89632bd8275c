// SPDX-License-Identifier: GPL-2.0
/*
 * Counters through libperf.  libperf (6.1) builds and opens the groups,
 * but its group read returns only the leader's value and allocates on
 * every call, and its mmap read of one event is a general one.  steplab
 * therefore finds each group's leader fd once, by the event id libperf
 * reports for it (PERF_EVENT_IOC_ID), reads a group with one read(2) into
 * a buffer it owns, and reads the hardware counters from the pages
 * libperf maps (counters.h says which group is read how).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
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
#include "host/tracefs.h"
#include "lib/file.h"

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

/*
 * arm64's format bits: the event may be read from user space (rdpmc), on
 * a 64-bit counter (long).  A 32-bit event on a 64-bit counter (PMUv3p5)
 * is biased by the kernel in the counter's top half, which its page's
 * 32-bit pmc_width does not account for: such counts are read as long
 * events.  Where a long event would take two chained counters (before
 * PMUv3p5), it is not readable from user space, and the 32-bit event is.
 */
#define ATTR_CONFIG1_LONG	(1ull << 0)
#define ATTR_CONFIG1_RDPMC	(1ull << 1)

/*
 * One group of the metrics of @mask that are open; the tracepoints' starts
 * disabled.  Each hardware member's page is mapped when reading from user
 * space.
 */
static int group_open(struct counters *c, struct counter_group *g, uint32_t mask,
		      bool disabled, uint64_t user)
{
	struct perf_event_attr attr;
	struct perf_counts_values cv;
	struct perf_evsel *evsel, *leader = NULL;
	unsigned int m;
	int ret;

	for (m = 0; m < M_COUNTERS; m++)
		g->slot[m] = -1;
	if (!(c->have & mask))
		return 0;
	g->evlist = perf_evlist__new();
	if (!g->evlist)
		return -ENOMEM;
	for (m = 0; m < M_COUNTERS; m++) {
		if (!(c->have & mask & (1u << m)))
			continue;
		metric_attr(c, m, &attr, c->why[m], sizeof(c->why[m]));
		attr.disabled = disabled && !leader;
		/* the cycle counter is 64-bit: long makes no difference there */
		attr.config1 |= user;
		evsel = perf_evsel__new(&attr);
		if (!evsel)
			return -ENOMEM;
		perf_evlist__add(g->evlist, evsel);
		if (!leader)
			leader = evsel;
		g->slot[m] = (int)g->nr++;
	}
	perf_evlist__set_maps(g->evlist, c->cpus, c->threads);
	perf_evlist__set_leader(g->evlist);
	ret = perf_evlist__open(g->evlist);
	if (ret)
		return ret;
	ret = perf_evsel__read(leader, 0, 0, &cv);
	if (ret)
		return ret;
	g->leader_fd = find_fd_by_id(cv.id);
	if (g->leader_fd < 0)
		return g->leader_fd;
	if (!user)
		return 0;
	m = 0;
	perf_evlist__for_each_evsel(g->evlist, evsel) {
		while (!(c->have & mask & (1u << m)))
			m++;
		if (perf_evsel__mmap(evsel, 0))
			return -errno ? -errno : -ENOMEM;
		/* a stable page's lock is even: nothing read fast before a fill */
		c->uc[m].seq = 1;
		c->page[m++] = perf_evsel__mmap_base(evsel, 0, 0);
	}
	return 0;
}

const char *counter_reads_name(enum counter_reads r)
{
	return r == READS_USER ? "user" : "read(2)";
}

static sigjmp_buf probe_jmp;

static void on_sigill(int sig)
{
	(void)sig;
	siglongjmp(probe_jmp, 1);
}

/*
 * One user read with SIGILL caught: where the page offers a counter that
 * the CPU then refuses (an emulator without the PMU registers, such as
 * valgrind's), the read traps.
 */
static bool user_read_probe(volatile struct perf_event_mmap_page *pg, uint64_t *val,
			    uint64_t *gap, bool *trapped)
{
	struct sigaction sa = { .sa_handler = on_sigill }, old;
	struct user_counter u;
	volatile bool ok = false;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGILL, &sa, &old))
		return false;
	if (!sigsetjmp(probe_jmp, 1))
		ok = counter_user_fill(pg, &u, 0, val, gap);
	else
		*trapped = true;
	sigaction(SIGILL, &old, NULL);
	return ok;
}

/*
 * Reads from user space when every hardware event's page says it may be
 * read now, and the reads agree with the group's read(2); otherwise
 * read(2), with the reason.
 */
static void reads_choose(struct counters *c, bool syscall_reads)
{
	struct counter_group *g = &c->g[CG_HW];
	struct user_counter u;		/* the reads here fill no page's cache */
	uint64_t val, gap;
	bool trapped = false, has_sysctl;
	unsigned int m;
	long sysctl = -1;
	int ret;

	c->reads = READS_SYSCALL;
	if (syscall_reads) {
		snprintf(c->reads_why, sizeof(c->reads_why), "asked for (--counter-reads syscall)");
		return;
	}
#ifndef __aarch64__
	snprintf(c->reads_why, sizeof(c->reads_why), "user-space reads are arm64's alone here");
	return;
#endif
	ret = file_read_long("/proc/sys/kernel/perf_user_access", &sysctl);
	has_sysctl = ret != -ENOENT;
	if (ret)
		sysctl = -1;
	for (m = 0; m <= M_CYCLES; m++) {
		if (!(c->have & (1u << m)))
			continue;
		if (!c->page[m] || !user_read_probe(c->page[m], &val, &gap, &trapped)) {
			if (trapped)
				snprintf(c->reads_why, sizeof(c->reads_why),
					 "reading the %s counter from user space traps (SIGILL)",
					 metric_name(m));
			else if (!has_sysctl)
				snprintf(c->reads_why, sizeof(c->reads_why),
					 "no kernel.perf_user_access (arm64, Linux 5.17+)");
			else if (sysctl != 1)
				snprintf(c->reads_why, sizeof(c->reads_why),
					 "kernel.perf_user_access is %ld", sysctl);
			else
				snprintf(c->reads_why, sizeof(c->reads_why),
					 "the %s counter's page allows no user read",
					 metric_name(m));
			return;
		}
	}
	/*
	 * A count read both ways must agree, but for the bias: read(2) after
	 * the user read, so at least as big, by less than 2^20.
	 */
	for (m = 0; m <= M_CYCLES; m++) {
		uint64_t sys, d;

		if (!(c->have & (1u << m)))
			continue;
		val = 0;
		if (!counter_user_fill(c->page[m], &u, 0, &val, &gap) || counters_read_group(g)) {
			snprintf(c->reads_why, sizeof(c->reads_why),
				 "the %s counter: a user read failed", metric_name(m));
			return;
		}
		sys = g->buf[3 + 2 * g->slot[m]];
		c->bias[m] = (sys - val + (1ull << 31)) & ~0xffffffffull;
		d = sys - (val + c->bias[m]);
		if (d >= 1u << 20) {
			snprintf(c->reads_why, sizeof(c->reads_why),
				 "the %s counter read from user space (%llu, counter %u) "
				 "disagrees with read(2) (%llu)", metric_name(m),
				 (unsigned long long)val, c->page[m]->index,
				 (unsigned long long)sys);
			return;
		}
	}
	c->reads = READS_USER;
	c->reads_why[0] = '\0';
}

/* irq:irq_handler_entry, every hit a header-only sample in a ring. */
#define IRQ_RING_PAGES	16

static int irq_open(struct counters *c)
{
	struct perf_event_attr attr;

	metric_attr(c, M_IRQS, &attr, c->why[M_IRQS], sizeof(c->why[M_IRQS]));
	attr.read_format = 0;
	attr.sample_period = 1;
	attr.sample_type = 0;
	attr.wakeup_events = 1u << 30;	/* nobody waits on it */
	c->irq = perf_evsel__new(&attr);
	if (!c->irq)
		return -ENOMEM;
	if (perf_evsel__open(c->irq, c->cpus, c->threads) ||
	    perf_evsel__mmap(c->irq, IRQ_RING_PAGES)) {
		snprintf(c->why[M_IRQS], sizeof(c->why[M_IRQS]),
			 "sampling irq:irq_handler_entry into a ring: %s", strerror(errno));
		return -errno ? -errno : -EINVAL;
	}
	c->irq_page = perf_evsel__mmap_base(c->irq, 0, 0);
	c->irq_tail = __atomic_load_n(&c->irq_page->data_head, __ATOMIC_ACQUIRE);
	return 0;
}

uint64_t counters_irqs_settle(struct counters *c)
{
	volatile struct perf_event_mmap_page *pg = c->irq_page;
	const char *ring;
	uint64_t head, at, odd = 0;
	struct perf_event_header h;

	if (!pg)
		return 0;
	ring = (const char *)pg + pg->data_offset;
	head = __atomic_load_n(&pg->data_head, __ATOMIC_ACQUIRE);
	for (at = c->irq_tail; at < head; at += h.size ? h.size : head - at) {
		memcpy(&h, ring + (at % pg->data_size), sizeof(h));
		if (h.type != PERF_RECORD_SAMPLE || h.size != sizeof(h))
			odd++;
	}
	c->irq_tail = head;
	__atomic_store_n(&pg->data_tail, head, __ATOMIC_RELEASE);
	c->irq_odd += odd;
	return odd;
}

int counters_open(struct counters *c, int pmu_type)
{
	struct counters_req r = { 0 };

	return counters_open_with(c, pmu_type, &r);
}

static int counters_open_how(struct counters *c, int pmu_type, const struct counters_req *r,
			     uint64_t user)
{
	unsigned int m;
	int ret;

	memset(c, 0, sizeof(*c));
	for (m = 0; m < CG_MAX; m++)
		c->g[m].leader_fd = -1;
	c->pmu_type = pmu_type;
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
		if ((COUNTERS_ON_REQUEST & ~r->extra) & (1u << m))
			snprintf(c->why[m], sizeof(c->why[m]),
				 "not asked for (run --count-perturbations)");
		else if (!probe(c, m))
			c->have |= 1u << m;
	}
	if (!c->have) {
		ret = -ENOENT;
		goto err;
	}
	ret = group_open(c, &c->g[CG_HW], COUNTERS_HW, false, user);
	if (!ret)
		ret = group_open(c, &c->g[CG_TRACE], COUNTERS_TRACE, true, 0);
	if (!ret)
		ret = group_open(c, &c->g[CG_SOFT], COUNTERS_SOFT, false, 0);
	if (!ret && (c->have & (1u << M_IRQS)) && irq_open(c))
		c->have &= ~(1u << M_IRQS);
	if (ret)
		goto err;
	reads_choose(c, !user);
	if (!user && !r->syscall_reads)
		snprintf(c->reads_why, sizeof(c->reads_why),
			 "the kernel refuses the hardware events readable from user space");
	return counters_read(c, (uint64_t[M_COUNTERS]){ 0 });
err:
	counters_close(c);
	return ret;
}

int counters_open_with(struct counters *c, int pmu_type, const struct counters_req *r)
{
	static const uint64_t how[] = {
		ATTR_CONFIG1_RDPMC | ATTR_CONFIG1_LONG, ATTR_CONFIG1_RDPMC, 0,
	};
	char why[sizeof(c->reads_why)] = "";
	unsigned int i;
	int ret;

	/* 64-bit counters read from user space, else 32-bit ones, else read(2) */
	for (i = r->syscall_reads ? 2 : 0; i < sizeof(how) / sizeof(how[0]); i++) {
		ret = counters_open_how(c, pmu_type, r, how[i]);
		if (!ret && (c->reads == READS_USER || !how[i]))
			break;
		if (!ret) {
			if (!why[0])
				snprintf(why, sizeof(why), "%s", c->reads_why);
			counters_close(c);
		}
	}
	/* the first reason is the one that says why: the sysctl, most often */
	if (!ret && c->reads != READS_USER && why[0] && !r->syscall_reads)
		snprintf(c->reads_why, sizeof(c->reads_why), "%s", why);
	return ret;
}

int counters_read_group(struct counter_group *g)
{
	size_t len = (3 + 2 * g->nr) * sizeof(uint64_t);

	if (read(g->leader_fd, g->buf, len) != (ssize_t)len)
		return errno ? -errno : -EIO;
	/* GROUP|ID|TOTAL_TIME_*: nr, enabled, running, then { value, id } each */
	g->enabled = g->buf[1];
	g->running = g->buf[2];
	return 0;
}

int counters_read(struct counters *c, uint64_t vals[M_COUNTERS])
{
	unsigned int i, m;
	int ret;

	for (i = 0; i < CG_MAX; i++) {
		struct counter_group *g = &c->g[i];

		if (!g->nr)
			continue;
		ret = counters_read_group(g);
		if (ret)
			return ret;
		for (m = 0; m < M_COUNTERS; m++)
			if (g->slot[m] >= 0)
				vals[m] = g->buf[3 + 2 * g->slot[m]];
	}
	vals[M_IRQS] = counters_irqs(c);
	c->enabled = c->g[CG_HW].enabled;
	c->running = c->g[CG_HW].running;
	if (c->reads == READS_USER)
		for (m = 0; m <= M_CYCLES; m++)
			if (c->page[m])
				counter_user_fill(c->page[m], &c->uc[m], c->bias[m], &vals[m], &c->gap);
	return 0;
}

static int trace_ioctl(struct counters *c, unsigned long req)
{
	if (c->g[CG_TRACE].leader_fd < 0)
		return 0;
	return ioctl(c->g[CG_TRACE].leader_fd, req, PERF_IOC_FLAG_GROUP) ? -errno : 0;
}

/*
 * The tracepoints' totals into @now; into @entries and @exits (or NULL)
 * their counts since on, the totals less those at the last turning off.
 */
static int trace_since_on(struct counters *c, uint64_t now[2], uint64_t *entries,
			  uint64_t *exits)
{
	static const enum metric tp[2] = { M_ENTRIES, M_KVM_EXITS };
	struct counter_group *g = &c->g[CG_TRACE];
	uint64_t *since[2] = { entries, exits };
	unsigned int i;
	int ret;

	memcpy(now, c->trace_off, sizeof(c->trace_off));
	if (!g->nr)
		return 0;
	ret = counters_read_group(g);
	for (i = 0; i < 2 && !ret; i++) {
		if (g->slot[tp[i]] < 0)
			continue;
		now[i] = g->buf[3 + 2 * g->slot[tp[i]]];
		if (since[i])
			*since[i] = now[i] - c->trace_off[i];
	}
	return ret;
}

/* No reset: the counts go on from the totals counters_trace_off() read. */
int counters_trace_on(struct counters *c)
{
	return trace_ioctl(c, PERF_EVENT_IOC_ENABLE);
}

int counters_trace_off(struct counters *c, uint64_t *entries, uint64_t *exits)
{
	uint64_t now[2];
	int ret = trace_ioctl(c, PERF_EVENT_IOC_DISABLE);

	ret = ret ? ret : trace_since_on(c, now, entries, exits);
	if (!ret)
		memcpy(c->trace_off, now, sizeof(c->trace_off));
	return ret;
}

int counters_trace_read(struct counters *c, uint64_t *entries, uint64_t *exits)
{
	uint64_t now[2];

	return trace_since_on(c, now, entries, exits);
}

void counters_close(struct counters *c)
{
	unsigned int i;

	/*
	 * The evlist and each evsel hold references of their own to the
	 * maps, and libperf 6.1's perf_evsel__delete() frees an evsel
	 * without dropping its: unsetting the maps drops them all first.
	 */
	for (i = 0; i < CG_MAX; i++) {
		struct counter_group *g = &c->g[i];

		if (g->evlist) {
			struct perf_evsel *evsel;

			perf_evlist__for_each_evsel(g->evlist, evsel)
				perf_evsel__munmap(evsel);
			perf_evlist__close(g->evlist);
			perf_evlist__set_maps(g->evlist, NULL, NULL);
		}
		perf_evlist__delete(g->evlist);
		g->evlist = NULL;
		g->leader_fd = -1;
	}
	if (c->irq) {
		perf_evsel__munmap(c->irq);
		perf_evsel__close(c->irq);
		perf_evsel__delete(c->irq);
		c->irq = NULL;
	}
	c->irq_page = NULL;
	memset(c->page, 0, sizeof(c->page));
	perf_cpu_map__put(c->cpus);
	perf_thread_map__put(c->threads);
	c->cpus = NULL;
	c->threads = NULL;
}
