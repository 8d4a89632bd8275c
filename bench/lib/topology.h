/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's topology: packages, cores, PUs and CPU kinds from hwloc (this
 * machine, or an XML file of another), each kind labelled from its CPUs'
 * MIDR in sysfs, with the CPU PMU that counts on it; and the plan that
 * pins one run on each kind (or on each core).
 *
 * On a heterogeneous machine each kind has its own PMU, and the generic
 * PERF_TYPE_HARDWARE/PERF_TYPE_RAW events count on one of them only:
 * open architected events with attr.type = the kind's pmu_type and
 * attr.config = one of the PMUV3_* numbers below.
 */
#ifndef STEPLAB_TOPOLOGY_H
#define STEPLAB_TOPOLOGY_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TOPO_MAX_CPUS	1024	/* OS indexes below this */
#define TOPO_MAX_KINDS	16
#define TOPO_MAX_PMUS	16
#define TOPO_LABEL_MAX	32
#define TOPO_NAME_MAX	64
#define TOPO_NOTE_MAX	256

/* Architected PMUv3 common events (Arm ARM, "Common event numbers"). */
enum pmuv3_event {
	PMUV3_SW_INCR		= 0x00,
	PMUV3_INST_RETIRED	= 0x08,
	PMUV3_EXC_TAKEN		= 0x09,
	PMUV3_EXC_RETURN	= 0x0a,
	PMUV3_BR_MIS_PRED	= 0x10,
	PMUV3_CPU_CYCLES	= 0x11,
	PMUV3_INST_SPEC		= 0x1b,
};

/* A set of CPUs by OS index. */
struct topo_cpuset {
	uint64_t bits[TOPO_MAX_CPUS / 64];
};

static inline void topo_cpuset_clear(struct topo_cpuset *s)
{
	memset(s, 0, sizeof(*s));
}

/* -ERANGE when cpu is not below TOPO_MAX_CPUS. */
static inline int topo_cpuset_add(struct topo_cpuset *s, unsigned int cpu)
{
	if (cpu >= TOPO_MAX_CPUS)
		return -ERANGE;
	s->bits[cpu / 64] |= 1ull << (cpu % 64);
	return 0;
}

static inline bool topo_cpuset_has(const struct topo_cpuset *s, int cpu)
{
	return cpu >= 0 && cpu < TOPO_MAX_CPUS &&
	       (s->bits[cpu / 64] & (1ull << (cpu % 64)));
}

static inline unsigned int topo_cpuset_count(const struct topo_cpuset *s)
{
	unsigned int i, n = 0;

	for (i = 0; i < TOPO_MAX_CPUS / 64; i++)
		n += __builtin_popcountll(s->bits[i]);
	return n;
}

/* The lowest CPU at or above from, or -1. */
static inline int topo_cpuset_next(const struct topo_cpuset *s, int from)
{
	int cpu;

	for (cpu = from < 0 ? 0 : from; cpu < TOPO_MAX_CPUS; cpu++)
		if (topo_cpuset_has(s, cpu))
			return cpu;
	return -1;
}

static inline bool topo_cpuset_equal(const struct topo_cpuset *a,
				     const struct topo_cpuset *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/* Every CPU of a is in b. */
static inline bool topo_cpuset_subset(const struct topo_cpuset *a,
				      const struct topo_cpuset *b)
{
	unsigned int i;

	for (i = 0; i < TOPO_MAX_CPUS / 64; i++)
		if (a->bits[i] & ~b->bits[i])
			return false;
	return true;
}

/* Parses a sysfs CPU list ("0-3,6\n"); -EINVAL or -ERANGE. */
int topo_cpuset_parse(struct topo_cpuset *s, const char *list);
/* Formats as a CPU list ("0-3,6"; "" when empty); truncates to len. */
void topo_cpuset_format(const struct topo_cpuset *s, char *buf, size_t len);

/* MIDR_EL1, decoded. */
struct midr {
	uint8_t implementer;	/* bits 31:24, 0x41 Arm */
	uint8_t variant;	/* 23:20, the r of rNpM */
	uint8_t architecture;	/* 19:16 */
	uint16_t part;		/* 15:4 */
	uint8_t revision;	/* 3:0, the p of rNpM */
};

void midr_decode(uint64_t midr, struct midr *m);
/* Parses midr_el1's text ("0x00000000410fd0b0\n"); -EINVAL. */
int midr_parse(const char *text, uint64_t *midr);
/* "cortex-a76", ..., or "impl-0x41-part-0xd4a" for a part not in the table. */
void midr_label(uint64_t midr, char *buf, size_t len);
/* Implementer and part: what makes two CPUs of one kind. */
static inline uint32_t midr_kind_key(uint64_t midr)
{
	return (uint32_t)midr & 0xff00fff0u;
}

/* A CPU PMU: an event_source device with a "cpus" file. */
struct topo_pmu {
	char name[TOPO_NAME_MAX];
	int type;			/* perf_event_attr.type */
	struct topo_cpuset cpus;
};

enum topo_kinds_from {
	TOPO_KINDS_MIDR,	/* every CPU's MIDR was read */
	TOPO_KINDS_HWLOC,	/* MIDRs unreadable: hwloc's cpukinds */
	TOPO_KINDS_NONE,	/* neither: all CPUs taken as one kind */
};

struct topo_kind {
	char label[TOPO_LABEL_MAX];	/* "cortex-a76"; "hwloc-kind-N" without MIDR */
	uint64_t midr;			/* of its first CPU; 0 without MIDR */
	bool mixed_revisions;		/* its CPUs' variant/revision differ */
	struct topo_cpuset cpus;
	unsigned int nr_cpus, nr_cores;
	int hwloc_kind;			/* hwloc's kind with exactly these CPUs, or -1 */
	int efficiency;			/* hwloc's ranking of that kind, or -1 */
	unsigned int freq_max_mhz;	/* hwloc's FrequencyMaxMHz, or 0 */
	char pmu[TOPO_NAME_MAX];	/* "" when no CPU PMU covers the kind */
	int pmu_type;			/* -1 when no PMU */
};

struct topo_core {
	unsigned int package;		/* index in [0, nr_packages) */
	unsigned int first_cpu;		/* OS index of its lowest PU */
	unsigned int nr_pus;
	struct topo_cpuset cpus;	/* its PUs */
	int kind;			/* index in kinds[], from first_cpu */
};

struct topology {
	char source[256];		/* the XML file, or "this machine" */
	char sysfs[256];		/* the root MIDRs and PMUs came from */
	unsigned int nr_packages;
	unsigned int nr_cores;
	struct topo_core *cores;	/* in hwloc's order, package by package */
	unsigned int nr_cpus;
	struct topo_cpuset cpus;	/* every PU */
	unsigned int nr_hwloc_kinds;
	struct topo_cpuset hwloc_kinds[TOPO_MAX_KINDS];	/* as hwloc ranks them */
	unsigned int nr_kinds;
	struct topo_kind kinds[TOPO_MAX_KINDS];	/* ordered by lowest CPU */
	unsigned int nr_pmus;
	struct topo_pmu pmus[TOPO_MAX_PMUS];	/* ordered by name */
	enum topo_kinds_from kinds_from;
	bool heterogeneous;		/* more than one kind: per-PMU raw events */
	char reason[TOPO_NOTE_MAX];	/* why kinds_from is not MIDR, or "" */
	char disagreement[TOPO_NOTE_MAX];	/* hwloc vs MIDR kinds, or "" */
	/* CPUs the kernel keeps free of other work (isolcpus=, nohz_full=) */
	struct topo_cpuset isolated;
	struct topo_cpuset nohz_full;
};

struct topology_source {
	const char *xml;	/* hwloc XML file; NULL: this machine */
	const char *sysfs;	/* root holding sys/; NULL: "/" */
};

/*
 * Loads the topology and labels its kinds.  Unreadable MIDRs are not an
 * error (kinds_from and reason say what was used instead), nor is a kind
 * without a PMU.  -errno when hwloc cannot load the topology; err then
 * names the file or call.  topology_free() releases it either way.
 */
int topology_load(struct topology *t, const struct topology_source *src,
		  char *err, size_t len);
void topology_free(struct topology *t);

/*
 * The CPU a kind's run pins to: its first isolated CPU (isolcpus=), as a
 * lab sets a board up with housekeeping CPUs and measured ones; else its
 * first CPU.
 */
int topology_kind_cpu(const struct topology *t, unsigned int k);

/* The CPU a window was measured on belongs to kind k. */
bool topology_cpu_in_kind(const struct topology *t, unsigned int k, int cpu);

/* One pinned run. */
struct topo_plan_entry {
	unsigned int kind;		/* index in kinds[] */
	unsigned int cpu;		/* OS index to pin to */
	unsigned int core;		/* index in cores[] */
	char label[TOPO_LABEL_MAX];
	uint64_t midr;
	struct topo_cpuset cpus;	/* the kind's CPUs */
	char pmu[TOPO_NAME_MAX];	/* "" without PMU */
	int pmu_type;			/* -1 without PMU */
	/* attr.type for PMUV3_* events: pmu_type, else PERF_TYPE_RAW */
	uint32_t event_type;
};

struct topo_plan {
	struct topo_plan_entry *entries;
	unsigned int nr;
	bool heterogeneous;
};

/*
 * One entry per kind, pinned to its lowest CPU; with all_cores, one per
 * core (its lowest PU), kind by kind.  -ENOMEM, -ENOENT for no CPUs.
 */
int topology_plan(const struct topology *t, bool all_cores, struct topo_plan *plan);
void topo_plan_free(struct topo_plan *plan);

#endif
