// SPDX-License-Identifier: GPL-2.0
/*
 * The plan drawn from a loaded topology: which CPU each kind's (or each
 * core's) run pins to, with the PMU its events are opened on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/perf_event.h>

#include "lib/topology.h"

int topology_kind_cpu(const struct topology *t, unsigned int k)
{
	const struct topo_cpuset *cpus = &t->kinds[k].cpus;
	int cpu;

	for (cpu = topo_cpuset_next(&t->isolated, 0); cpu >= 0;
	     cpu = topo_cpuset_next(&t->isolated, cpu + 1))
		if (topo_cpuset_has(cpus, cpu))
			return cpu;
	return topo_cpuset_next(cpus, 0);
}

bool topology_cpu_in_kind(const struct topology *t, unsigned int k, int cpu)
{
	return k < t->nr_kinds && topo_cpuset_has(&t->kinds[k].cpus, cpu);
}

static void plan_entry_fill(const struct topology *t, unsigned int k, unsigned int cpu,
			    struct topo_plan_entry *e)
{
	const struct topo_kind *kd = &t->kinds[k];
	unsigned int c;

	memset(e, 0, sizeof(*e));
	e->kind = k;
	e->cpu = cpu;
	for (c = 0; c < t->nr_cores; c++)
		if (topo_cpuset_has(&t->cores[c].cpus, cpu))
			e->core = c;
	snprintf(e->label, sizeof(e->label), "%s", kd->label);
	e->midr = kd->midr;
	e->cpus = kd->cpus;
	snprintf(e->pmu, sizeof(e->pmu), "%s", kd->pmu);
	e->pmu_type = kd->pmu_type;
	e->event_type = kd->pmu_type >= 0 ? (uint32_t)kd->pmu_type : PERF_TYPE_RAW;
}

int topology_plan(const struct topology *t, bool all_cores, struct topo_plan *plan)
{
	unsigned int k, c, n = all_cores ? t->nr_cores : t->nr_kinds;

	memset(plan, 0, sizeof(*plan));
	if (!n || !t->nr_kinds)
		return -ENOENT;
	plan->entries = calloc(n, sizeof(*plan->entries));
	if (!plan->entries)
		return -ENOMEM;
	plan->heterogeneous = t->heterogeneous;
	for (k = 0; k < t->nr_kinds; k++) {
		if (!all_cores) {
			plan_entry_fill(t, k, topology_kind_cpu(t, k),
					&plan->entries[plan->nr++]);
			continue;
		}
		for (c = 0; c < t->nr_cores && plan->nr < n; c++)
			if (t->cores[c].kind == (int)k)
				plan_entry_fill(t, k, t->cores[c].first_cpu,
						&plan->entries[plan->nr++]);
	}
	return 0;
}

void topo_plan_free(struct topo_plan *plan)
{
	free(plan->entries);
	plan->entries = NULL;
	plan->nr = 0;
}
