// SPDX-License-Identifier: GPL-2.0
/* The names of the metrics a step is measured by and of its re-entry paths. */
#include "lib/names.h"
#include "lib/step.h"

static const struct {
	const char *name, *unit;
} metrics[M_MAX] = {
	[M_GUEST_INSNS]	= { "guest_instructions", "instructions" },
	[M_HOST_INSNS]	= { "host_instructions", "instructions" },
	[M_CYCLES]	= { "cycles", "cycles" },
	[M_ENTRIES]	= { "entries", "entries" },
	[M_KVM_EXITS]	= { "kvm_exits", "exits" },
	[M_IRQS]	= { "host_irqs", "interrupts" },
	[M_CSWITCHES]	= { "context_switches", "switches" },
	[M_FAULTS]	= { "page_faults", "faults" },
	[M_RUNS]	= { "runs", "KVM_RUN calls" },
	[M_TIME_NS]	= { "time_ns", "ns" },
};

const char *metric_name(enum metric m)
{
	return (unsigned int)m < M_MAX ? metrics[m].name : "?";
}

const char *metric_unit(enum metric m)
{
	return (unsigned int)m < M_MAX ? metrics[m].unit : "?";
}

static const char *const reentry_names[RE_MAX] = {
	[RE_PLAIN]	= "plain",
	[RE_IMMEDIATE]	= "immediate-exit",
	[RE_SIGNAL]	= "signal",
	[RE_SMCCC_USER]	= "smccc-user",
	[RE_STORM]	= "storm",
};

const char *reentry_name(enum reentry p)
{
	return names_at(reentry_names, RE_MAX, p);
}

int reentry_from_name(const char *name)
{
	return names_find(reentry_names, RE_MAX, name);
}
