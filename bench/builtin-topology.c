// SPDX-License-Identifier: GPL-2.0
/* steplab topology: CPU kinds, their PMUs, and the per-kind plan. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "builtin.h"
#include "lib/opt.h"
#include "lib/topology.h"

struct topology_cmd {
	struct topology_source src;
	bool all_cores;
	bool json;
};

static void topology_usage(FILE *f)
{
	fprintf(f,
"usage: steplab topology [--xml FILE] [--sysfs DIR] [--all-cores] [--json]\n\n"
"Shows this machine's packages, cores and CPU kinds, or another machine's\n"
"from an hwloc XML file (lstopo --of xml).  A kind is the CPUs whose MIDR\n"
"has the same implementer and part, labelled from it; hwloc's own kinds\n"
"(ranked by capacity or frequency) are compared with them, and used only\n"
"when the MIDRs cannot be read.  Each kind gets the CPU PMU whose CPUs\n"
"cover it: with more than one kind, events are opened per PMU, with\n"
"attr.type = the PMU's type and the architected event number as config\n"
"(INST_RETIRED 0x%02x, CPU_CYCLES 0x%02x).  The plan pins one run on the\n"
"lowest CPU of each kind, or with --all-cores one on each core.\n\n"
"  --xml FILE     the topology of another machine (hwloc XML)\n"
"  --sysfs DIR    read sys/devices/system/cpu and sys/bus/event_source\n"
"                 under DIR instead of / (a copy of another machine's)\n"
"  --all-cores    plan one run per core instead of one per kind\n"
"  --json         print the topology and the plan as JSON\n"
"  -h, --help     this text\n\n"
"Exit status: 0 shown, 2 bad command line or unreadable --xml or --sysfs,\n"
"3 this machine's topology could not be read.\n",
		PMUV3_INST_RETIRED, PMUV3_CPU_CYCLES);
}

static int topology_parse(int argc, char **argv, struct topology_cmd *o)
{
	static const struct option longopts[] = {
		{ "xml", required_argument, NULL, 'x' },
		{ "sysfs", required_argument, NULL, 's' },
		{ "all-cores", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct stat st;
	int c;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'x': o->src.xml = optarg; break;
		case 's': o->src.sysfs = optarg; break;
		case 'a': o->all_cores = true; break;
		case 'j': o->json = true; break;
		case 'h': topology_usage(stdout); return -1;
		default:
			opt_bad("topology", c, argv);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		opt_usage("topology", "unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (o->src.sysfs && (stat(o->src.sysfs, &st) || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "steplab topology: %s: not a directory\n", o->src.sysfs);
		return EXIT_USAGE;
	}
	return 0;
}

static const char *kinds_from_name(enum topo_kinds_from f)
{
	switch (f) {
	case TOPO_KINDS_MIDR:	return "midr";
	case TOPO_KINDS_HWLOC:	return "hwloc";
	default:		return "none";
	}
}

static void midr_text(uint64_t midr, bool known, char *buf, size_t len)
{
	struct midr m;

	midr_decode(midr, &m);
	if (known)
		snprintf(buf, len, "0x%08llx r%up%u", (unsigned long long)midr,
			 m.variant, m.revision);
	else
		snprintf(buf, len, "-");
}

static void topology_print(const struct topology *t, const struct topo_plan *p,
			   const struct topology_cmd *o)
{
	bool midr = t->kinds_from == TOPO_KINDS_MIDR;
	char cpus[128], m[32], type[16], hk[16];
	unsigned int i;

	printf("topology: %s, sysfs %s\n", t->source, t->sysfs);
	printf("packages %u, cores %u, CPUs %u; hwloc kinds %u; kinds from %s%s\n",
	       t->nr_packages, t->nr_cores, t->nr_cpus, t->nr_hwloc_kinds,
	       kinds_from_name(t->kinds_from),
	       t->heterogeneous ? "; heterogeneous: raw events per PMU" : "");
	if (t->reason[0])
		printf("note: %s\n", t->reason);
	if (t->disagreement[0])
		printf("note: %s\n", t->disagreement);
	printf("\n%-4s %-24s %-16s %-10s %-5s %-5s %-20s %s\n", "kind", "label", "MIDR",
	       "CPUs", "cores", "hwloc", "PMU", "type");
	for (i = 0; i < t->nr_kinds; i++) {
		const struct topo_kind *k = &t->kinds[i];

		topo_cpuset_format(&k->cpus, cpus, sizeof(cpus));
		midr_text(k->midr, midr, m, sizeof(m));
		snprintf(type, sizeof(type), "%d", k->pmu_type);
		snprintf(hk, sizeof(hk), "%d", k->hwloc_kind);
		printf("%-4u %-24s %-16s %-10s %-5u %-5s %-20s %s\n", i, k->label, m, cpus,
		       k->nr_cores, k->hwloc_kind >= 0 ? hk : "-", k->pmu[0] ? k->pmu : "-",
		       k->pmu_type >= 0 ? type : "-");
	}
	printf("\nplan (%s): %u run%s\n", o->all_cores ? "every core" : "one per kind",
	       p->nr, p->nr == 1 ? "" : "s");
	printf("%-4s %-4s %-24s %-4s %-5s %-20s %s\n", "run", "kind", "label", "cpu",
	       "core", "PMU", "attr.type");
	for (i = 0; i < p->nr; i++) {
		const struct topo_plan_entry *e = &p->entries[i];

		printf("%-4u %-4u %-24s %-4u %-5u %-20s %u\n", i, e->kind, e->label, e->cpu,
		       e->core, e->pmu[0] ? e->pmu : "-", e->event_type);
	}
	for (i = 0; i < t->nr_kinds && t->heterogeneous; i++)
		if (t->kinds[i].pmu_type < 0)
			printf("warning: kind %u (%s) has no CPU PMU: its counts may be wrong\n",
			       i, t->kinds[i].label);
}

static json_t *cpus_json(const struct topo_cpuset *s)
{
	char buf[4096];

	topo_cpuset_format(s, buf, sizeof(buf));
	return json_string(buf);
}

/* {"value": "0x414fd0b0", "implementer": 65, ...}, or null */
static json_t *midr_json(uint64_t midr, bool known)
{
	struct midr m;
	char hex[24];

	if (!known)
		return json_null();
	midr_decode(midr, &m);
	snprintf(hex, sizeof(hex), "0x%08llx", (unsigned long long)midr);
	return json_pack("{s:s, s:i, s:i, s:i, s:i, s:i}", "value", hex,
			 "implementer", m.implementer, "variant", m.variant,
			 "architecture", m.architecture, "part", m.part, "revision", m.revision);
}

static json_t *kind_json(const struct topo_kind *k, bool midr)
{
	return json_pack("{s:s, s:o, s:o, s:i, s:i, s:i, s:i, s:i, s:b, s:o, s:i}",
		"label", k->label, "midr", midr_json(k->midr, midr),
		"cpus", cpus_json(&k->cpus), "nr_cpus", k->nr_cpus, "nr_cores", k->nr_cores,
		"hwloc_kind", k->hwloc_kind, "efficiency", k->efficiency,
		"freq_max_mhz", k->freq_max_mhz, "mixed_revisions", k->mixed_revisions,
		"pmu", k->pmu[0] ? json_string(k->pmu) : json_null(), "pmu_type", k->pmu_type);
}

static json_t *plan_json(const struct topo_plan *p, bool all_cores)
{
	json_t *runs = json_array();
	unsigned int i;

	for (i = 0; i < p->nr; i++) {
		const struct topo_plan_entry *e = &p->entries[i];

		json_array_append_new(runs, json_pack("{s:i, s:s, s:i, s:i, s:o, s:o, s:i, s:i}",
			"kind", e->kind, "label", e->label, "cpu", e->cpu, "core", e->core,
			"cpus", cpus_json(&e->cpus),
			"pmu", e->pmu[0] ? json_string(e->pmu) : json_null(),
			"pmu_type", e->pmu_type, "event_type", e->event_type));
	}
	return json_pack("{s:b, s:b, s:o}", "all_cores", all_cores,
			 "heterogeneous", p->heterogeneous, "runs", runs);
}

static json_t *note_json(const char *s)
{
	return s[0] ? json_string(s) : json_null();
}

static json_t *topology_json(const struct topology *t, const struct topo_plan *p, bool all_cores)
{
	json_t *kinds = json_array(), *hk = json_array(), *pmus = json_array();
	bool midr = t->kinds_from == TOPO_KINDS_MIDR;
	unsigned int i;

	for (i = 0; i < t->nr_kinds; i++)
		json_array_append_new(kinds, kind_json(&t->kinds[i], midr));
	for (i = 0; i < t->nr_hwloc_kinds; i++)
		json_array_append_new(hk, cpus_json(&t->hwloc_kinds[i]));
	for (i = 0; i < t->nr_pmus; i++)
		json_array_append_new(pmus, json_pack("{s:s, s:i, s:o}", "name", t->pmus[i].name,
			"type", t->pmus[i].type, "cpus", cpus_json(&t->pmus[i].cpus)));
	return json_pack("{s:s, s:s, s:i, s:i, s:i, s:s, s:b, s:o, s:o, s:o, s:o, s:o, s:o, s:{s:i, s:i}}",
		"source", t->source, "sysfs", t->sysfs, "packages", t->nr_packages, "cores", t->nr_cores,
		"cpus", t->nr_cpus, "kinds_from", kinds_from_name(t->kinds_from),
		"heterogeneous", t->heterogeneous, "reason", note_json(t->reason),
		"disagreement", note_json(t->disagreement), "hwloc_kinds", hk,
		"kinds", kinds, "pmus", pmus, "plan", plan_json(p, all_cores),
		"events", "INST_RETIRED", PMUV3_INST_RETIRED, "CPU_CYCLES", PMUV3_CPU_CYCLES);
}

int cmd_topology(int argc, char **argv)
{
	struct topology_cmd o = { 0 };
	struct topology t;
	struct topo_plan p;
	char err[512];
	json_t *doc;
	int ret;

	ret = topology_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (topology_load(&t, &o.src, err, sizeof(err))) {
		fprintf(stderr, "steplab topology: %s\n", err);
		topology_free(&t);
		return o.src.xml ? EXIT_USAGE : EXIT_ERROR;
	}
	ret = topology_plan(&t, o.all_cores, &p);
	if (ret) {
		fprintf(stderr, "steplab topology: topology_plan: %s\n", strerror(-ret));
		topology_free(&t);
		return EXIT_ERROR;
	}
	if (o.json) {
		doc = topology_json(&t, &p, o.all_cores);
		if (!doc || json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII)) {
			fprintf(stderr, "steplab topology: cannot write JSON\n");
			ret = EXIT_ERROR;
		} else {
			putchar('\n');
		}
		json_decref(doc);
	} else {
		topology_print(&t, &p, &o);
	}
	topo_plan_free(&p);
	topology_free(&t);
	return ret;
}
