// SPDX-License-Identifier: GPL-2.0
/*
 * Topology: hwloc XML of a big.LITTLE board and an 80-core server with
 * fake sysfs trees beside them; kinds from MIDR, PMUs per kind, the plan.
 */
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "lib/topology.h"
#include "tap.h"

#define DATA "tests/data/topology/"

static int load(struct topology *t, const char *xml, const char *sysfs)
{
	struct topology_source src = { .xml = xml, .sysfs = sysfs };
	char err[512] = "";
	int ret;

	ret = topology_load(t, &src, err, sizeof(err));
	if (ret)
		tap_diag("%s: %s", xml ? xml : "this machine", err);
	return ret;
}

static bool cpus_are(const struct topo_cpuset *s, const char *want)
{
	char buf[256];

	topo_cpuset_format(s, buf, sizeof(buf));
	if (strcmp(buf, want))
		tap_diag("CPUs %s, want %s", buf, want);
	return !strcmp(buf, want);
}

/* A scratch sysfs tree: put(root, "sys/...", "text") makes the parents. */
static void put(const char *root, const char *rel, const char *text)
{
	char path[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	for (p = strchr(path + strlen(root) + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void put_midrs(const char *root, int first, int last, const char *midr)
{
	char rel[128];
	int cpu;

	for (cpu = first; cpu <= last; cpu++) {
		snprintf(rel, sizeof(rel),
			 "sys/devices/system/cpu/cpu%d/regs/identification/midr_el1", cpu);
		put(root, rel, midr);
	}
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st; (void)flag; (void)ftw;
	return remove(path);
}

static void rm_tree(const char *root)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void test_midr(void)
{
	struct midr m;
	uint64_t v = 0;
	char label[TOPO_LABEL_MAX];

	midr_decode(0x410fd0b0, &m);
	tap_ok(m.implementer == 0x41 && m.variant == 0 && m.architecture == 0xf &&
	       m.part == 0xd0b && m.revision == 0, "MIDR 0x410fd0b0: Arm, r0p0, part 0xd0b");
	midr_decode(0x413fd0c1, &m);
	tap_ok(m.variant == 3 && m.revision == 1 && m.part == 0xd0c, "MIDR 0x413fd0c1: r3p1, part 0xd0c");
	tap_ok(!midr_parse("0x00000000414fd0b0\n", &v) && v == 0x414fd0b0,
	       "midr_el1's 64-bit text parses");
	tap_ok(midr_parse("414fd0b0", &v) == -EINVAL && midr_parse("0x", &v) == -EINVAL &&
	       midr_parse("0x1414fd0b0", &v) == -EINVAL && midr_parse("0x41z", &v) == -EINVAL,
	       "no 0x, no digits, above 32 bits, junk: refused");
	midr_label(0x412fd050, label, sizeof(label));
	tap_ok(!strcmp(label, "cortex-a55"), "0xd05 is cortex-a55 (%s)", label);
	midr_label(0x410fd4f0, label, sizeof(label));
	tap_ok(!strcmp(label, "neoverse-v2"), "0xd4f is neoverse-v2 (%s)", label);
	midr_label(0x000f0510, label, sizeof(label));
	tap_ok(!strcmp(label, "qemu-max"), "implementer 0, part 0x051 is qemu-max (%s)", label);
	midr_label(0x510f8040, label, sizeof(label));
	tap_ok(!strcmp(label, "impl-0x51-part-0x804"), "a part not in the table (%s)", label);
	tap_ok(midr_kind_key(0x413fd0c1) == midr_kind_key(0x410fd0c0) &&
	       midr_kind_key(0x410fd0c0) != midr_kind_key(0x410fd0b0),
	       "revisions share a kind, parts do not");
}

static void test_cpuset(void)
{
	struct topo_cpuset s;
	char buf[64];

	tap_ok(!topo_cpuset_parse(&s, "0-3,6\n") && topo_cpuset_count(&s) == 5 &&
	       cpus_are(&s, "0-3,6"), "CPU list 0-3,6 round-trips");
	tap_ok(!topo_cpuset_parse(&s, "") && !topo_cpuset_count(&s) &&
	       topo_cpuset_next(&s, 0) == -1, "an empty list is an empty set");
	tap_ok(topo_cpuset_parse(&s, "3-1") == -EINVAL && topo_cpuset_parse(&s, "1,,2") == -EINVAL &&
	       topo_cpuset_parse(&s, "x") == -EINVAL && topo_cpuset_parse(&s, "0-") == -EINVAL,
	       "malformed lists refused");
	tap_ok(topo_cpuset_parse(&s, "0-1024") == -ERANGE, "CPUs past TOPO_MAX_CPUS refused");
	topo_cpuset_parse(&s, "0-79");
	topo_cpuset_format(&s, buf, 3);
	tap_ok(strlen(buf) < 3, "formatting truncates to the buffer");
}

static void test_rock5b(void)
{
	struct topology t;
	struct topo_plan p;
	unsigned int i;
	bool ok;

	tap_ok(!load(&t, DATA "rock5b.xml", DATA "rock5b-sysfs"), "rock5b loads");
	tap_ok(t.nr_packages == 1 && t.nr_cores == 8 && t.nr_cpus == 8,
	       "rock5b: 1 package, 8 cores, 8 CPUs");
	tap_ok(t.kinds_from == TOPO_KINDS_MIDR && !t.reason[0] && !t.disagreement[0],
	       "rock5b: kinds from MIDR, agreeing with hwloc's");
	tap_eq_u64(t.nr_kinds, 2, "rock5b: two kinds");
	tap_ok(!strcmp(t.kinds[0].label, "cortex-a55") && cpus_are(&t.kinds[0].cpus, "0-3") &&
	       t.kinds[0].midr == 0x412fd050 && t.kinds[0].nr_cores == 4,
	       "kind 0: cortex-a55 on CPUs 0-3 (%s)", t.kinds[0].label);
	tap_ok(!strcmp(t.kinds[0].pmu, "armv8_cortex_a55") && t.kinds[0].pmu_type == 10,
	       "kind 0: PMU armv8_cortex_a55, type 10 (%s, %d)", t.kinds[0].pmu, t.kinds[0].pmu_type);
	tap_ok(!strcmp(t.kinds[1].label, "cortex-a76") && cpus_are(&t.kinds[1].cpus, "4-7") &&
	       t.kinds[1].midr == 0x414fd0b0, "kind 1: cortex-a76 on CPUs 4-7 (%s)", t.kinds[1].label);
	tap_ok(!strcmp(t.kinds[1].pmu, "armv8_cortex_a76") && t.kinds[1].pmu_type == 11,
	       "kind 1: PMU armv8_cortex_a76, type 11 (%s, %d)", t.kinds[1].pmu, t.kinds[1].pmu_type);
	tap_ok(t.heterogeneous, "rock5b is heterogeneous");
	tap_ok(t.nr_hwloc_kinds == 2 && t.kinds[0].efficiency == 0 && t.kinds[1].efficiency == 1 &&
	       t.kinds[1].freq_max_mhz == 2352, "hwloc ranks the A55s below the A76s");
	tap_eq_u64(t.nr_pmus, 2, "software and tracepoint are not CPU PMUs");

	tap_ok(!topology_plan(&t, false, &p), "rock5b: plan");
	tap_eq_u64(p.nr, 2, "rock5b plan: one run per kind");
	tap_ok(p.nr == 2 && p.entries[0].cpu == 0 && p.entries[1].cpu == 4 &&
	       p.entries[0].kind == 0 && p.entries[1].kind == 1 && p.heterogeneous,
	       "pinned to CPUs 0 and 4");
	tap_ok(p.nr == 2 && !strcmp(p.entries[0].pmu, "armv8_cortex_a55") &&
	       p.entries[0].event_type == 10 && !strcmp(p.entries[1].pmu, "armv8_cortex_a76") &&
	       p.entries[1].event_type == 11 && !strcmp(p.entries[1].label, "cortex-a76"),
	       "each run opens its events on its kind's PMU (types 10, 11)");
	topo_plan_free(&p);

	tap_ok(!topology_plan(&t, true, &p), "rock5b: plan, all cores");
	tap_eq_u64(p.nr, 8, "rock5b --all-cores: 8 runs");
	for (ok = p.nr == 8, i = 0; ok && i < p.nr; i++)
		ok = p.entries[i].cpu == i && p.entries[i].kind == (i < 4 ? 0u : 1u) &&
		     p.entries[i].core == i &&
		     topology_cpu_in_kind(&t, p.entries[i].kind, p.entries[i].cpu) &&
		     p.entries[i].event_type == (i < 4 ? 10u : 11u);
	tap_ok(ok, "runs on CPUs 0-7, each in its kind, on its kind's PMU");
	topo_plan_free(&p);

	tap_ok(topology_cpu_in_kind(&t, 0, 0) && topology_cpu_in_kind(&t, 0, 3) &&
	       topology_cpu_in_kind(&t, 1, 4) && topology_cpu_in_kind(&t, 1, 7),
	       "cpu_in_kind: 0 and 3 in the A55s, 4 and 7 in the A76s");
	tap_ok(!topology_cpu_in_kind(&t, 0, 4) && !topology_cpu_in_kind(&t, 1, 3) &&
	       !topology_cpu_in_kind(&t, 1, 8) && !topology_cpu_in_kind(&t, 0, -1) &&
	       !topology_cpu_in_kind(&t, 2, 0), "cpu_in_kind: the other kind, no such CPU or kind");
	topology_free(&t);
}

static void test_altra(void)
{
	struct topology t;
	struct topo_plan p;

	tap_ok(!load(&t, DATA "altra80.xml", DATA "altra80-sysfs"), "altra80 loads");
	tap_ok(t.nr_packages == 1 && t.nr_cores == 80 && t.nr_cpus == 80,
	       "altra80: 1 package, 80 cores, 80 CPUs");
	tap_ok(t.nr_kinds == 1 && !strcmp(t.kinds[0].label, "neoverse-n1") &&
	       t.kinds[0].nr_cpus == 80 && cpus_are(&t.kinds[0].cpus, "0-79"),
	       "altra80: one kind, neoverse-n1, CPUs 0-79");
	tap_ok(!strcmp(t.kinds[0].pmu, "armv8_pmuv3_0") && t.kinds[0].pmu_type == 8 &&
	       t.nr_pmus == 1, "altra80: PMU armv8_pmuv3_0 (arm_cmn_0 is no CPU PMU)");
	tap_ok(!t.heterogeneous && !t.disagreement[0] && t.kinds[0].hwloc_kind == 0,
	       "altra80: homogeneous, as hwloc says");
	tap_ok(!topology_plan(&t, false, &p) && p.nr == 1 && p.entries[0].cpu == 0 &&
	       !p.heterogeneous, "altra80 plan: 1 run, on CPU 0");
	topo_plan_free(&p);
	tap_ok(!topology_plan(&t, true, &p) && p.nr == 80 && p.entries[79].cpu == 79 &&
	       p.entries[79].event_type == 8, "altra80 --all-cores: 80 runs, the last on CPU 79");
	topo_plan_free(&p);
	tap_ok(topology_cpu_in_kind(&t, 0, 79) && !topology_cpu_in_kind(&t, 0, 80),
	       "cpu_in_kind: 79 yes, 80 no");
	topology_free(&t);
}

static void test_fallback(void)
{
	struct topology t;

	tap_ok(!load(&t, DATA "rock5b.xml", DATA "rock5b-nomidr-sysfs"),
	       "rock5b without MIDRs loads");
	tap_ok(t.kinds_from == TOPO_KINDS_HWLOC && strstr(t.reason, "no MIDR for CPU 0") &&
	       strstr(t.reason, "kinds from hwloc"), "falls back to hwloc's kinds: %s", t.reason);
	tap_ok(t.nr_kinds == 2 && cpus_are(&t.kinds[0].cpus, "0-3") &&
	       cpus_are(&t.kinds[1].cpus, "4-7") && !strcmp(t.kinds[1].label, "hwloc-kind-1"),
	       "hwloc's two kinds, labelled by rank (%s)", t.kinds[1].label);
	tap_ok(t.kinds[0].pmu_type == 10 && t.kinds[1].pmu_type == 11 && t.heterogeneous,
	       "their PMUs still found from the PMUs' CPUs");
	topology_free(&t);
}

static void test_disagree(void)
{
	struct topology t;

	tap_ok(!load(&t, DATA "rock5b-3kinds.xml", DATA "rock5b-sysfs"), "rock5b-3kinds loads");
	tap_ok(t.nr_hwloc_kinds == 3 && t.nr_kinds == 2 && t.kinds_from == TOPO_KINDS_MIDR,
	       "hwloc's three kinds, the MIDRs' two: MIDR wins");
	tap_ok(strstr(t.disagreement, "hwloc has 3 kinds (0-3; 4-5; 6-7)") &&
	       strstr(t.disagreement, "the MIDRs 2 (0-3; 4-7)"), "disagreement: %s", t.disagreement);
	tap_ok(t.kinds[0].hwloc_kind == 0 && t.kinds[1].hwloc_kind == -1 &&
	       t.kinds[1].efficiency == -1 && t.kinds[1].pmu_type == 11,
	       "the A76s match no hwloc kind, and keep their PMU");
	topology_free(&t);

	/* the other way: hwloc sees two kinds where every MIDR is an N1 */
	tap_ok(!load(&t, DATA "rock5b.xml", DATA "altra80-sysfs") && t.nr_kinds == 1 &&
	       !t.heterogeneous && strstr(t.disagreement, "hwloc has 2 kinds"),
	       "two hwloc kinds, one MIDR kind: %s", t.disagreement);
	topology_free(&t);
}

static void unlink_nohz(const char *root)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/nohz_full", root);
	unlink(path);
}

/* Scratch trees for what the fixtures do not show. */
static void test_scratch(void)
{
	char root[] = "/tmp/steplab-topo-XXXXXX";
	struct topology t;
	struct topo_plan p;

	if (!mkdtemp(root)) {
		tap_ok(0, "a scratch sysfs tree (mkdtemp: %s)", strerror(errno));
		return;
	}
	put_midrs(root, 0, 3, "0x00000000412fd050\n");
	put_midrs(root, 4, 6, "0x00000000414fd0b0\n");
	put_midrs(root, 7, 7, "0x00000000413fd0b0\n");
	tap_ok(!load(&t, DATA "rock5b.xml", root) && t.nr_kinds == 2 &&
	       !t.kinds[0].mixed_revisions && t.kinds[1].mixed_revisions,
	       "an r3p0 A76 among r4p0s: one kind, mixed revisions");
	tap_ok(t.kinds[0].pmu_type == -1 && t.heterogeneous, "no PMUs: none attached");
	tap_ok(!topology_plan(&t, false, &p) && p.nr == 2 && p.entries[1].pmu_type == -1 &&
	       p.entries[1].event_type == PERF_TYPE_RAW,
	       "without a PMU a run falls back to PERF_TYPE_RAW");
	topo_plan_free(&p);
	topology_free(&t);

	put(root, "sys/bus/event_source/devices/armv8_pmuv3/cpus", "0-5\n");
	put(root, "sys/bus/event_source/devices/armv8_pmuv3/type", "8\n");
	tap_ok(!load(&t, DATA "rock5b.xml", root) && t.kinds[0].pmu_type == 8 &&
	       t.kinds[1].pmu_type == -1 && !t.kinds[1].pmu[0],
	       "a PMU covering only part of a kind is not the kind's");
	topology_free(&t);

	/* a lab's board: the measured CPUs isolated, the first of a kind wins */
	tap_ok(!load(&t, DATA "rock5b.xml", root) && !topo_cpuset_count(&t.isolated) &&
	       topology_kind_cpu(&t, 0) == 0 && topology_kind_cpu(&t, 1) == 4,
	       "no isolcpus: each kind runs on its first CPU");
	topology_free(&t);
	put(root, "sys/devices/system/cpu/isolated", "2-3,6\n");
	put(root, "sys/devices/system/cpu/nohz_full", "2-3\n");
	tap_ok(!load(&t, DATA "rock5b.xml", root) && topo_cpuset_count(&t.isolated) == 3 &&
	       topo_cpuset_has(&t.nohz_full, 3) && !topo_cpuset_has(&t.nohz_full, 6),
	       "isolated and nohz_full CPUs read from sysfs");
	memset(&p, 0, sizeof(p));
	topology_plan(&t, false, &p);
	tap_ok(p.nr == 2 && p.entries[0].cpu == 2 && p.entries[1].cpu == 6,
	       "isolcpus=2-3,6: the plan runs each kind on its first isolated CPU (%u, %u)",
	       p.nr == 2 ? p.entries[0].cpu : 99, p.nr == 2 ? p.entries[1].cpu : 99);
	topo_plan_free(&p);
	topology_free(&t);
	put(root, "sys/devices/system/cpu/isolated", "\n");
	unlink_nohz(root);

	put(root, "sys/devices/system/cpu/cpu5/regs/identification/midr_el1", "garbage\n");
	tap_ok(!load(&t, DATA "rock5b.xml", root) && t.kinds_from == TOPO_KINDS_HWLOC &&
	       strstr(t.reason, "CPU 5") && strstr(t.reason, "not a MIDR"),
	       "one unreadable MIDR: hwloc's kinds (%s)", t.reason);
	topology_free(&t);
	rm_tree(root);
}

static void test_errors(void)
{
	struct topology_source src = { .xml = DATA "nope.xml" };
	struct topology t;
	char err[512] = "";
	int ret;

	ret = topology_load(&t, &src, err, sizeof(err));
	tap_ok(ret == -ENOENT && strstr(err, DATA "nope.xml") && !strchr(err, '\n'),
	       "a missing XML file: -ENOENT naming it (%s)", err);
	topology_free(&t);
	src.xml = DATA "mkfixtures.sh";
	ret = topology_load(&t, &src, err, sizeof(err));
	tap_ok(ret < 0 && strstr(err, DATA "mkfixtures.sh"), "not XML: refused, named (%s)", err);
	topology_free(&t);
}

static void test_live(void)
{
	struct topology t;
	struct topo_plan p;
	unsigned int i;
	bool ok;

	ok = !load(&t, NULL, NULL);
	tap_ok(ok && t.nr_cpus > 0 && t.nr_kinds > 0,
	       "this machine loads: %u CPUs, %u kinds", t.nr_cpus, t.nr_kinds);
#if defined(__aarch64__)
	tap_ok(t.kinds_from == TOPO_KINDS_MIDR || t.reason[0], "arm64: MIDR kinds, or why not");
#else
	tap_ok(t.kinds_from != TOPO_KINDS_MIDR && strstr(t.reason, "no MIDR"),
	       "not arm64: no MIDRs, and the reason says so (%s)", t.reason);
#endif
	ok = !topology_plan(&t, true, &p) && p.nr == t.nr_cores;
	for (i = 0; ok && i < p.nr; i++)
		ok = topology_cpu_in_kind(&t, p.entries[i].kind, p.entries[i].cpu);
	tap_ok(ok, "its plan covers every core, each in its kind");
	topo_plan_free(&p);
	topology_free(&t);
}

int main(void)
{
	test_midr();
	test_cpuset();
	test_rock5b();
	test_altra();
	test_fallback();
	test_disagree();
	test_scratch();
	test_errors();
	test_live();
	return tap_done();
}
