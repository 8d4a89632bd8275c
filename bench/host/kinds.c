// SPDX-License-Identifier: GPL-2.0
/*
 * Planning one run per CPU kind from the topology (lib/topology.c), and
 * opening each: pinned, with that kind's counters.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hwloc.h>

#include "host/engine.h"
#include "host/kinds.h"
#include "host/run-prep.h"

static int plan_one_cpu(struct kinds *k, int cpu, char *err, size_t len)
{
	unsigned int i;

	for (i = 0; i < k->topo.nr_kinds; i++)
		if (topology_cpu_in_kind(&k->topo, i, cpu))
			break;
	if (i == k->topo.nr_kinds) {
		snprintf(err, len, "--cpu %d: no such CPU on this machine", cpu);
		return -ENODEV;
	}
	k->runs = calloc(1, sizeof(*k->runs));
	if (!k->runs)
		return -ENOMEM;
	k->nr = 1;
	k->runs[0].pe = (struct topo_plan_entry) {
		.kind = i, .cpu = (unsigned int)cpu, .midr = k->topo.kinds[i].midr,
		.cpus = k->topo.kinds[i].cpus, .pmu_type = k->topo.kinds[i].pmu_type,
	};
	snprintf(k->runs[0].pe.label, sizeof(k->runs[0].pe.label), "%s", k->topo.kinds[i].label);
	snprintf(k->runs[0].pe.pmu, sizeof(k->runs[0].pe.pmu), "%s", k->topo.kinds[i].pmu);
	k->runs[0].checked = true;
	return 0;
}

/* No topology: measure where we are, and say why nothing is checked. */
static int plan_unknown(struct kinds *k, int cpu)
{
	k->runs = calloc(1, sizeof(*k->runs));
	if (!k->runs)
		return -ENOMEM;
	k->nr = 1;
	k->runs[0].pe.cpu = cpu >= 0 ? (unsigned int)cpu : (unsigned int)sched_getcpu();
	k->runs[0].pe.pmu_type = -1;
	snprintf(k->runs[0].pe.label, sizeof(k->runs[0].pe.label), "unknown");
	return 0;
}

int kinds_plan(struct kinds *k, bool all_cores, int cpu, char *err, size_t len)
{
	struct topology_source src = { 0 };
	struct topo_plan plan;
	unsigned int i;
	int ret;

	memset(k, 0, sizeof(*k));
	k->all_cores = all_cores;
	ret = topology_load(&k->topo, &src, k->reason, sizeof(k->reason));
	k->topo_ok = !ret && k->topo.nr_kinds > 0;
	if (!k->topo_ok) {
		if (!ret)
			snprintf(k->reason, sizeof(k->reason), "the topology has no CPU kinds");
		return plan_unknown(k, cpu);
	}
	if (cpu >= 0)
		return plan_one_cpu(k, cpu, err, len);
	ret = topology_plan(&k->topo, all_cores, &plan);
	if (ret) {
		snprintf(k->reason, sizeof(k->reason), "planning per kind: %s", strerror(-ret));
		k->topo_ok = false;
		return plan_unknown(k, cpu);
	}
	k->runs = calloc(plan.nr, sizeof(*k->runs));
	if (!k->runs) {
		topo_plan_free(&plan);
		return -ENOMEM;
	}
	for (i = 0; i < plan.nr; i++) {
		k->runs[i].pe = plan.entries[i];
		k->runs[i].checked = true;
	}
	k->nr = plan.nr;
	topo_plan_free(&plan);
	return 0;
}

void kinds_free(struct kinds *k)
{
	unsigned int i;

	for (i = 0; i < k->nr; i++) {
		if (k->runs[i].res) {
			run_result_free(k->runs[i].res);
			free(k->runs[i].res);
		}
	}
	free(k->runs);
	topology_free(&k->topo);
	memset(k, 0, sizeof(*k));
}

/*
 * Pins the stepping thread to one CPU (the one asked for, or the one it is
 * on), so that the counters follow one core.  Returns the CPU, or -errno.
 */
int kinds_pin(int want)
{
	hwloc_topology_t topo;
	hwloc_bitmap_t set;
	int ret = -EINVAL;

	if (hwloc_topology_init(&topo))
		return -ENOMEM;
	set = hwloc_bitmap_alloc();
	if (hwloc_topology_load(topo) || !set)
		goto out;
	if (want >= 0) {
		hwloc_obj_t pu = hwloc_get_pu_obj_by_os_index(topo, (unsigned int)want);

		if (!pu) {
			ret = -ENODEV;
			goto out;
		}
		hwloc_bitmap_copy(set, pu->cpuset);
	} else if (hwloc_get_last_cpu_location(topo, set, HWLOC_CPUBIND_THREAD)) {
		goto out;
	}
	hwloc_bitmap_singlify(set);
	ret = hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_THREAD) ? -errno :
	      hwloc_bitmap_first(set);
out:
	hwloc_bitmap_free(set);
	hwloc_topology_destroy(topo);
	return ret;
}

int kind_run_open(struct kind_run *kr, const struct kinds *k, const struct kind_open *o,
		  struct counters *ctr, struct counters **use, char *err, size_t len)
{
	unsigned int m;
	int ret;

	*use = NULL;
	/* a heterogeneous machine has no working generic events */
	kr->raw_events = k->topo_ok && k->topo.heterogeneous && kr->pe.pmu_type >= 0;
	ret = kinds_pin((int)kr->pe.cpu);
	if (ret < 0) {
		snprintf(err, len, "pinning to cpu %u: %s", kr->pe.cpu, strerror(-ret));
		return ret;
	}
	ret = o->no_counters ? -ENOENT :
	      counters_open_with(ctr, kr->raw_events ? kr->pe.pmu_type : -1, &o->req);
	if (!ret) {
		run_guest_counting_check(ctr, o->b);
		*use = ctr;
		kr->reads = counter_reads_name(ctr->reads);
		snprintf(kr->reads_why, sizeof(kr->reads_why), "%s", ctr->reads_why);
	}
	kr->have = engine_metrics(*use);
	for (m = 0; m < M_COUNTERS; m++)
		snprintf(kr->why[m], sizeof(kr->why[m]), "%s", o->no_counters ? "--no-counters" :
			 ret ? strerror(-ret) : ctr->why[m]);
	return 0;
}

void kind_run_close(struct counters *use)
{
	if (use)
		counters_close(use);
}
