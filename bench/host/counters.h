/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The counter group: guest and host instructions, cycles, guest entries
 * and exits, opened with libperf on the calling (vCPU) thread and read
 * with one read(2) per KVM_RUN.
 */
#ifndef STEPLAB_COUNTERS_H
#define STEPLAB_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "lib/step.h"

struct perf_evlist;
struct perf_thread_map;
struct perf_cpu_map;

struct counters {
	struct perf_evlist *evlist;
	struct perf_thread_map *threads;
	struct perf_cpu_map *cpus;
	int leader_fd;
	int pmu_type;			/* raw events on this PMU, or -1 */
	unsigned int nr;		/* members in the group */
	uint32_t have;			/* bit per metric in the group */
	int slot[M_COUNTERS];		/* position in the group read */
	char why[M_COUNTERS][96];	/* why a metric is missing */
	uint64_t buf[3 + 2 * M_COUNTERS];
	uint64_t enabled, running;	/* the group's times at the last read */
};

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
 * and page faults.  Software events in the group cost host instructions
 * on every step (about 240 on the emulated board), so the baselines'
 * counts are taken without them.
 */
#define COUNTERS_ON_REQUEST	((1u << M_CSWITCHES) | (1u << M_FAULTS))
/* counters_open(), also opening the metrics of @extra (COUNTERS_ON_REQUEST bits). */
int counters_open_with(struct counters *c, int pmu_type, uint32_t extra);
/*
 * One read of the whole group: the running totals, by metric, and in
 * c->enabled/running the times the group was enabled and counting.
 */
int counters_read(struct counters *c, uint64_t vals[M_COUNTERS]);
void counters_close(struct counters *c);

/*
 * A kvm:kvm_exit event on the calling thread that, once armed, sends it
 * @sig at the next guest exit and disarms itself: a signal that is
 * pending exactly where KVM decides whether to re-enter the guest.
 * Returns the event's fd, or -errno with the reason in @why.
 */
int exit_signal_open(int sig, char *why, size_t len);
int exit_signal_arm(int fd);
int exit_signal_disarm(int fd);

#endif
