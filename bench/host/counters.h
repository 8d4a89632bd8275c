/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counters of the stepping thread, opened with libperf, in three
 * groups read three ways:
 *
 *  - hardware (guest and host instructions, cycles): one group, read per
 *    KVM_RUN from user space through each event's perf mmap page (arm64
 *    perf_user_access, Linux 5.17+: an mrs of the counter, no system
 *    call); where the kernel does not allow it, one read(2) of the group;
 *  - kvm:kvm_entry and kvm:kvm_exit: a group of their own, disabled, and
 *    enabled only around the steps the engine observes them on (each hit
 *    of an enabled tracepoint costs the host ~400 instructions, read or
 *    not); read with read(2) on those steps;
 *  - irq:irq_handler_entry: sampled into a ring no one reads, so that the
 *    ring's head, a word in user memory, counts the host interrupts; it
 *    costs nothing while no interrupt comes;
 *  - on request, context switches and page faults: software events, one
 *    read(2) of their group per KVM_RUN.
 */
#ifndef STEPLAB_COUNTERS_H
#define STEPLAB_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/perf_event.h>

#include "lib/step.h"

struct perf_evlist;
struct perf_evsel;
struct perf_thread_map;
struct perf_cpu_map;

/* One group read with read(2) on its leader. */
struct counter_group {
	struct perf_evlist *evlist;
	int leader_fd;
	unsigned int nr;		/* members */
	int slot[M_COUNTERS];		/* a metric's position in the read */
	uint64_t buf[3 + 2 * M_COUNTERS];
	uint64_t enabled, running;	/* the group's times at the last read */
};

enum { CG_HW, CG_TRACE, CG_SOFT, CG_MAX };

/* How the hardware counters are read. */
enum counter_reads {
	READS_USER,		/* from user space, through the mmap pages */
	READS_SYSCALL,		/* read(2) of the group */
};

struct counters {
	struct perf_thread_map *threads;
	struct perf_cpu_map *cpus;
	int pmu_type;			/* raw events on this PMU, or -1 */
	uint32_t have;			/* bit per metric opened */
	char why[M_COUNTERS][96];	/* why a metric is missing */
	struct counter_group g[CG_MAX];
	enum counter_reads reads;
	char reads_why[128];		/* why the reads are not from user space */
	/* READS_USER: per hardware metric, its page, or NULL */
	volatile struct perf_event_mmap_page *page[M_COUNTERS];
	/*
	 * What a user read lacks of read(2)'s count, a multiple of 2^32: a
	 * 32-bit event on a 32-bit counter starts its period at 2^31 or more,
	 * which the page's sign extension takes for negative.
	 */
	uint64_t bias[M_COUNTERS];
	/*
	 * What each page said at its last full read, under which lock: while
	 * the lock stays the same, the counter, its width and offset do too.
	 */
	struct user_counter {
		uint32_t seq;
		uint32_t pmc;		/* PMEVCNTR<pmc>_EL0, PMCCNTR_EL0 for 31 */
		uint32_t shift;		/* 64 - the counter's width */
		uint64_t base;		/* the page's offset, plus the bias */
	} uc[M_CYCLES + 1];
	uint64_t gap;			/* enabled - running at the last read */
	uint64_t fallbacks;		/* user reads that found no counter */
	/* irq:irq_handler_entry, sampled: its ring's first page */
	struct perf_evsel *irq;
	volatile struct perf_event_mmap_page *irq_page;
	uint64_t irq_tail;		/* where the records not yet looked at start */
	uint64_t irq_odd;		/* records other than a sample seen */
	uint64_t enabled, running;	/* the hardware group's, at the last read */
	uint64_t trace_off[2];		/* entries, exits: the totals when last turned off */
};

/* Metrics in each group. */
#define COUNTERS_HW	((1u << M_GUEST_INSNS) | (1u << M_HOST_INSNS) | (1u << M_CYCLES))
#define COUNTERS_TRACE	((1u << M_ENTRIES) | (1u << M_KVM_EXITS))
#define COUNTERS_SOFT	((1u << M_CSWITCHES) | (1u << M_FAULTS))

/*
 * Opens every metric it can; a metric that cannot be opened is left out
 * with its reason in why[].  -ENOENT when none could be opened.  With
 * pmu_type >= 0 the instruction and cycle counts are raw PMUv3 events on
 * that PMU (a heterogeneous machine has no working generic events);
 * otherwise generic hardware events.
 */
int counters_open(struct counters *c, int pmu_type);

/*
 * Metrics opened only on request: the stepping thread's context switches
 * and page faults.  Software events cost host instructions on every step
 * (about 240 on the emulated board) and a read(2) per KVM_RUN, so the
 * baselines' counts are taken without them.
 */
#define COUNTERS_ON_REQUEST	COUNTERS_SOFT

/* How counters_open_with() opens. */
struct counters_req {
	uint32_t extra;			/* COUNTERS_ON_REQUEST bits */
	bool syscall_reads;		/* read(2) even where user reads work */
};

/* counters_open(), also opening @r's metrics, read as @r says. */
int counters_open_with(struct counters *c, int pmu_type, const struct counters_req *r);
const char *counter_reads_name(enum counter_reads r);

/*
 * Everything, the slow way: the running totals by metric (tracepoints as
 * they stand: they count only while enabled), and in c->enabled/running
 * the hardware group's times.
 */
int counters_read(struct counters *c, uint64_t vals[M_COUNTERS]);
/* The hardware group with one read(2). */
int counters_read_group(struct counter_group *g);

/* The host interrupts counted so far: the ring's head, in records. */
static inline uint64_t counters_irqs(const struct counters *c)
{
	return c->irq_page ? __atomic_load_n(&c->irq_page->data_head, __ATOMIC_ACQUIRE) /
			     sizeof(struct perf_event_header) : 0;
}

/*
 * Looks at the interrupt records up to the head and frees their room;
 * returns how many were not samples (a lost or throttle record: the count
 * since the last call is then not exact).
 */
uint64_t counters_irqs_settle(struct counters *c);

/*
 * The tracepoints on, and off with their counts since on (@entries and
 * @exits may be NULL); their counts since on while they count.  Two
 * system calls and a read per observed step.
 */
int counters_trace_on(struct counters *c);
int counters_trace_off(struct counters *c, uint64_t *entries, uint64_t *exits);
int counters_trace_read(struct counters *c, uint64_t *entries, uint64_t *exits);

/* PMEVCNTR<n>_EL0, or PMCCNTR_EL0 for 31: the perf mmap page's index - 1. */
static inline uint64_t counter_pmc(uint32_t n)
{
	uint64_t v = 0;

#ifdef __aarch64__
#define PMC(i) case i: asm volatile("mrs %0, pmevcntr" #i "_el0" : "=r"(v)); break;
	switch (n) {
	PMC(0) PMC(1) PMC(2) PMC(3) PMC(4) PMC(5) PMC(6) PMC(7) PMC(8) PMC(9)
	PMC(10) PMC(11) PMC(12) PMC(13) PMC(14) PMC(15) PMC(16) PMC(17) PMC(18)
	PMC(19) PMC(20) PMC(21) PMC(22) PMC(23) PMC(24) PMC(25) PMC(26) PMC(27)
	PMC(28) PMC(29) PMC(30)
	case 31:
		asm volatile("mrs %0, pmccntr_el0" : "=r"(v));
		break;
	default:
		break;
	}
#undef PMC
#else
	(void)n;
#endif
	return v;
}

/*
 * One user-space read of a hardware counter, as its perf mmap page says,
 * plus @bias; what the page said is kept in @u for counter_user_fast().
 * False when the event is on no counter now (the sysctl off, or perf
 * rotated it out), the count then unknown.  @gap is the event's enabled
 * less running time as of the page's last update.
 */
static inline bool counter_user_fill(volatile struct perf_event_mmap_page *pg,
				     struct user_counter *u, uint64_t bias,
				     uint64_t *val, uint64_t *gap)
{
	uint32_t seq, idx;
	uint16_t width;

	do {
		seq = pg->lock;
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
		idx = pg->index;
		u->base = pg->offset + bias;
		*gap = pg->time_enabled - pg->time_running;
		if (!pg->cap_user_rdpmc || !idx) {
			u->seq = seq | 1;	/* odd: no fast read before the next fill */
			return false;
		}
		width = pg->pmc_width;
		u->pmc = idx - 1;
		u->shift = width && width < 64 ? 64 - width : 0;
		*val = u->base + (uint64_t)((int64_t)(counter_pmc(u->pmc) << u->shift) >> u->shift);
		__atomic_signal_fence(__ATOMIC_SEQ_CST);
	} while (pg->lock != seq);
	u->seq = seq;
	return true;
}

/*
 * The read while the page has not changed since counter_user_fill(): the
 * counter alone.  False when the page changed (perf moved or reset the
 * event, or updated its times: the thread was scheduled out and in).
 */
static inline bool counter_user_fast(volatile struct perf_event_mmap_page *pg,
				     const struct user_counter *u, uint64_t *val)
{
	uint64_t pmc;

	if (pg->lock != u->seq)
		return false;
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	pmc = counter_pmc(u->pmc);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	if (pg->lock != u->seq)
		return false;
	*val = u->base + (uint64_t)((int64_t)(pmc << u->shift) >> u->shift);
	return true;
}

/* Every hardware counter the fast way: false when a page has changed. */
static inline bool counters_user_fast_all(const struct counters *c, uint64_t vals[M_COUNTERS])
{
	unsigned int m;

	for (m = 0; m <= M_CYCLES; m++)
		if (c->page[m] && !counter_user_fast(c->page[m], &c->uc[m], &vals[m]))
			return false;
	return true;
}

/*
 * The hot read, once per KVM_RUN: the hardware metrics and the interrupt
 * count into @vals (the others untouched), from user space where it can.
 * *@partial is set when the hardware group did not count the whole time
 * since the last read (rotated out, or taken by another user).
 */
static inline int counters_read_hw(struct counters *c, uint64_t vals[M_COUNTERS],
				   bool *partial)
{
	uint64_t gap = 0;
	unsigned int m;
	int ret;

	if (c->reads == READS_USER) {
		unsigned int filled = 0;

		/*
		 * A page changed (the thread was scheduled out and in, or a
		 * group was switched): each read in full, then all again by
		 * the same fast read as ever, so that what runs after the last
		 * counter is read, in the next window, is what runs after any
		 * read.  One copy of the fast read, in the loop's condition.
		 */
		while (!counters_user_fast_all(c, vals) && !filled++) {
			for (m = 0; m <= M_CYCLES; m++)
				if (c->page[m] && !counter_user_fill(c->page[m], &c->uc[m],
								     c->bias[m], &vals[m], &gap))
					goto slow;
			/* the times move only with the page: a fast read leaves them */
			*partial |= gap != c->gap;
			c->gap = gap;
		}
	} else {
slow:
		ret = counters_read_group(&c->g[CG_HW]);
		if (ret)
			return ret;
		for (m = 0; m <= M_CYCLES; m++)
			if (c->g[CG_HW].slot[m] >= 0)
				vals[m] = c->g[CG_HW].buf[3 + 2 * c->g[CG_HW].slot[m]];
		*partial |= c->reads == READS_USER ||
			    c->g[CG_HW].enabled - c->enabled != c->g[CG_HW].running - c->running;
		if (c->reads == READS_USER)
			c->fallbacks++;
		c->enabled = c->g[CG_HW].enabled;
		c->running = c->g[CG_HW].running;
	}
	vals[M_IRQS] = counters_irqs(c);
	if (c->g[CG_SOFT].nr) {
		ret = counters_read_group(&c->g[CG_SOFT]);
		if (ret)
			return ret;
		for (m = M_CSWITCHES; m <= M_FAULTS; m++)
			if (c->g[CG_SOFT].slot[m] >= 0)
				vals[m] = c->g[CG_SOFT].buf[3 + 2 * c->g[CG_SOFT].slot[m]];
	}
	return 0;
}

void counters_close(struct counters *c);

#endif
