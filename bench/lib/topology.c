// SPDX-License-Identifier: GPL-2.0
/*
 * Topology through hwloc, CPU kinds through MIDR.  hwloc ranks kinds by
 * capacity or frequency and says nothing of the core design, and two
 * clusters of one design binned to different frequencies make two hwloc
 * kinds; MIDR implementer and part say which core a CPU is, and so which
 * PMU counts it.  hwloc's kinds are kept to compare against, and used
 * only when the MIDRs cannot be read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hwloc.h>

#include "lib/topology.h"

/* CPU lists */

int topo_cpuset_parse(struct topo_cpuset *s, const char *list)
{
	unsigned long lo, hi, cpu;
	const char *p = list;
	char *end;

	topo_cpuset_clear(s);
	while (*p && *p != '\n') {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		lo = hi = strtoul(p, &end, 10);
		if (*end == '-') {
			p = end + 1;
			if (*p < '0' || *p > '9')
				return -EINVAL;
			hi = strtoul(p, &end, 10);
		}
		if (hi < lo)
			return -EINVAL;
		if (hi >= TOPO_MAX_CPUS)
			return -ERANGE;
		for (cpu = lo; cpu <= hi; cpu++)
			topo_cpuset_add(s, cpu);
		p = end;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			return -EINVAL;
	}
	return 0;
}

void topo_cpuset_format(const struct topo_cpuset *s, char *buf, size_t len)
{
	int lo, hi;
	size_t n = 0;

	if (!len)
		return;
	buf[0] = '\0';
	for (lo = topo_cpuset_next(s, 0); lo >= 0; lo = topo_cpuset_next(s, hi + 1)) {
		for (hi = lo; topo_cpuset_has(s, hi + 1); hi++)
			;
		if (hi == lo)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%d", n ? "," : "", lo);
		else
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%d-%d",
				      n ? "," : "", lo, hi);
		if (n >= len)
			return;
	}
}

/* MIDR */

void midr_decode(uint64_t midr, struct midr *m)
{
	m->implementer = (midr >> 24) & 0xff;
	m->variant = (midr >> 20) & 0xf;
	m->architecture = (midr >> 16) & 0xf;
	m->part = (midr >> 4) & 0xfff;
	m->revision = midr & 0xf;
}

int midr_parse(const char *text, uint64_t *midr)
{
	unsigned long long v;
	char *end;

	if (strncmp(text, "0x", 2))
		return -EINVAL;
	errno = 0;
	v = strtoull(text + 2, &end, 16);
	if (errno || end == text + 2 || (*end && *end != '\n') || v >> 32)
		return -EINVAL;
	*midr = v;
	return 0;
}

static const struct {
	uint8_t implementer;
	uint16_t part;
	const char *label;
} midr_parts[] = {
	{ 0x41, 0xd03, "cortex-a53" },
	{ 0x41, 0xd05, "cortex-a55" },
	{ 0x41, 0xd08, "cortex-a72" },
	{ 0x41, 0xd0b, "cortex-a76" },
	{ 0x41, 0xd0c, "neoverse-n1" },
	{ 0x41, 0xd40, "neoverse-v1" },
	{ 0x41, 0xd4f, "neoverse-v2" },
	{ 0x00, 0x051, "qemu-max" },
};

void midr_label(uint64_t midr, char *buf, size_t len)
{
	struct midr m;
	unsigned int i;

	midr_decode(midr, &m);
	for (i = 0; i < sizeof(midr_parts) / sizeof(midr_parts[0]); i++) {
		if (midr_parts[i].implementer == m.implementer &&
		    midr_parts[i].part == m.part) {
			snprintf(buf, len, "%s", midr_parts[i].label);
			return;
		}
	}
	snprintf(buf, len, "impl-0x%02x-part-0x%03x", m.implementer, m.part);
}

/* sysfs */

static void sysfs_path(char *path, size_t len, const char *root, const char *rel)
{
	size_t rl = strlen(root);

	snprintf(path, len, "%s%s%s", root, rl && root[rl - 1] == '/' ? "" : "/", rel);
}

static int sysfs_read(const char *root, const char *rel, char *buf, size_t len,
		      char *path, size_t plen)
{
	ssize_t n;
	int fd, ret;

	sysfs_path(path, plen, root, rel);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	ret = n < 0 ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	buf[n] = '\0';
	return 0;
}

static int pmu_read(const char *root, const char *name, struct topo_pmu *p)
{
	char rel[320], path[PATH_MAX], buf[4096];
	char *end;
	long type;

	if (strlen(name) >= sizeof(p->name))
		return -ENAMETOOLONG;
	snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/%s/cpus", name);
	if (sysfs_read(root, rel, buf, sizeof(buf), path, sizeof(path)) ||
	    topo_cpuset_parse(&p->cpus, buf))
		return -ENOENT;
	snprintf(rel, sizeof(rel), "sys/bus/event_source/devices/%s/type", name);
	if (sysfs_read(root, rel, buf, sizeof(buf), path, sizeof(path)))
		return -ENOENT;
	type = strtol(buf, &end, 10);
	if (end == buf || type < 0 || type > INT32_MAX)
		return -EINVAL;
	p->type = (int)type;
	snprintf(p->name, sizeof(p->name), "%.*s", (int)sizeof(p->name) - 1, name);
	return 0;
}

/* Every event_source device with a "cpus" file, by name. */
static void pmus_scan(struct topology *t, const char *root)
{
	char dir[PATH_MAX];
	struct dirent **ents;
	int i, n;

	sysfs_path(dir, sizeof(dir), root, "sys/bus/event_source/devices");
	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0)
		return;
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.' && t->nr_pmus < TOPO_MAX_PMUS &&
		    !pmu_read(root, ents[i]->d_name, &t->pmus[t->nr_pmus]))
			t->nr_pmus++;
		free(ents[i]);
	}
	free(ents);
}

/* hwloc */

struct hwloc_kind_info {
	int efficiency;
	unsigned int freq_max_mhz;
	char core_type[TOPO_LABEL_MAX];
};

struct topo_load {
	struct topology *t;
	hwloc_topology_t topo;
	hwloc_bitmap_t set;
	struct hwloc_kind_info hk[TOPO_MAX_KINDS];
	uint64_t midr[TOPO_MAX_CPUS];
	int64_t key[TOPO_MAX_CPUS];	/* what makes a kind, per CPU */
	char *err;
	size_t len;
};

static int set_from_hwloc(struct topo_load *l, hwloc_const_bitmap_t b,
			  struct topo_cpuset *s)
{
	int cpu;

	topo_cpuset_clear(s);
	for (cpu = hwloc_bitmap_first(b); cpu >= 0; cpu = hwloc_bitmap_next(b, cpu)) {
		if (topo_cpuset_add(s, cpu)) {
			snprintf(l->err, l->len, "%s: CPU %d is beyond steplab's %d",
				 l->t->source, cpu, TOPO_MAX_CPUS);
			return -E2BIG;
		}
	}
	return 0;
}

static int hwloc_open(struct topo_load *l, const char *xml)
{
	int ret;

	if (hwloc_topology_init(&l->topo)) {
		ret = -errno;
		snprintf(l->err, l->len, "hwloc_topology_init: %s", strerror(-ret));
		l->topo = NULL;
		return ret;
	}
	errno = 0;
	if ((xml && hwloc_topology_set_xml(l->topo, xml)) || hwloc_topology_load(l->topo)) {
		ret = errno ? -errno : -EINVAL;
		if (xml)
			snprintf(l->err, l->len, "%s: cannot load as an hwloc XML topology (%s)",
				 xml, strerror(-ret));
		else
			snprintf(l->err, l->len, "hwloc_topology_load: %s", strerror(-ret));
		return ret;
	}
	l->set = hwloc_bitmap_alloc();
	if (!l->set) {
		snprintf(l->err, l->len, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int cores_read(struct topo_load *l)
{
	struct topology *t = l->t;
	hwloc_obj_type_t type = HWLOC_OBJ_CORE;
	hwloc_obj_t obj, pkg;
	int i, n, ret, w;

	n = hwloc_get_nbobjs_by_type(l->topo, HWLOC_OBJ_PACKAGE);
	t->nr_packages = n > 0 ? n : 1;
	n = hwloc_get_nbobjs_by_type(l->topo, type);
	if (n <= 0) {
		type = HWLOC_OBJ_PU;	/* no core level: each PU its own core */
		n = hwloc_get_nbobjs_by_type(l->topo, type);
	}
	if (n <= 0) {
		snprintf(l->err, l->len, "%s: no CPUs in the topology", t->source);
		return -ENOENT;
	}
	t->cores = calloc(n, sizeof(*t->cores));
	if (!t->cores) {
		snprintf(l->err, l->len, "out of memory");
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		struct topo_core *c = &t->cores[t->nr_cores];

		obj = hwloc_get_obj_by_type(l->topo, type, i);
		if (!obj || hwloc_bitmap_iszero(obj->cpuset))
			continue;
		ret = set_from_hwloc(l, obj->cpuset, &c->cpus);
		if (ret)
			return ret;
		pkg = hwloc_get_ancestor_obj_by_type(l->topo, HWLOC_OBJ_PACKAGE, obj);
		c->package = pkg ? pkg->logical_index : 0;
		c->first_cpu = topo_cpuset_next(&c->cpus, 0);
		c->nr_pus = topo_cpuset_count(&c->cpus);
		c->kind = -1;
		for (w = 0; w < TOPO_MAX_CPUS / 64; w++)
			t->cpus.bits[w] |= c->cpus.bits[w];
		t->nr_cores++;
	}
	t->nr_cpus = topo_cpuset_count(&t->cpus);
	return 0;
}

static int hwloc_kinds_read(struct topo_load *l)
{
	struct topology *t = l->t;
	struct hwloc_info_s *infos;
	unsigned int i, j, nr_infos;
	int n, eff, ret;

	n = hwloc_cpukinds_get_nr(l->topo, 0);
	for (i = 0; n > 0 && i < (unsigned int)n && i < TOPO_MAX_KINDS; i++) {
		struct hwloc_kind_info *hk = &l->hk[i];

		if (hwloc_cpukinds_get_info(l->topo, i, l->set, &eff, &nr_infos, &infos, 0))
			break;
		ret = set_from_hwloc(l, l->set, &t->hwloc_kinds[i]);
		if (ret)
			return ret;
		hk->efficiency = eff;
		for (j = 0; j < nr_infos; j++) {
			if (!strcmp(infos[j].name, "FrequencyMaxMHz"))
				hk->freq_max_mhz = strtoul(infos[j].value, NULL, 10);
			else if (!strcmp(infos[j].name, "CoreType"))
				snprintf(hk->core_type, sizeof(hk->core_type), "%s",
					 infos[j].value);
		}
		t->nr_hwloc_kinds++;
	}
	return 0;
}

/* kinds */

/* Groups CPUs by l->key[] into kinds, in order of their lowest CPU. */
static void kinds_group(struct topo_load *l)
{
	struct topology *t = l->t;
	int64_t keys[TOPO_MAX_KINDS];
	struct topo_kind *kd;
	unsigned int k;
	int cpu;

	t->nr_kinds = 0;
	for (cpu = topo_cpuset_next(&t->cpus, 0); cpu >= 0;
	     cpu = topo_cpuset_next(&t->cpus, cpu + 1)) {
		for (k = 0; k < t->nr_kinds && keys[k] != l->key[cpu]; k++)
			;
		if (k == TOPO_MAX_KINDS) {
			k--;	/* past the table: the last kind takes the rest */
		} else if (k == t->nr_kinds) {
			kd = &t->kinds[t->nr_kinds++];
			keys[k] = l->key[cpu];
			memset(kd, 0, sizeof(*kd));
			kd->midr = l->midr[cpu];
			kd->hwloc_kind = -1;
			kd->efficiency = -1;
		}
		kd = &t->kinds[k];
		topo_cpuset_add(&kd->cpus, cpu);
		if (l->midr[cpu] != kd->midr)
			kd->mixed_revisions = true;
	}
	for (k = 0; k < t->nr_kinds; k++)
		t->kinds[k].nr_cpus = topo_cpuset_count(&t->kinds[k].cpus);
}

/* 0 when every CPU has a MIDR; else the reason, in t->reason. */
static int midrs_read(struct topo_load *l, const char *root)
{
	struct topology *t = l->t;
	char rel[96], path[PATH_MAX], buf[64];
	int cpu, ret;

	for (cpu = topo_cpuset_next(&t->cpus, 0); cpu >= 0;
	     cpu = topo_cpuset_next(&t->cpus, cpu + 1)) {
		snprintf(rel, sizeof(rel),
			 "sys/devices/system/cpu/cpu%d/regs/identification/midr_el1", cpu);
		ret = sysfs_read(root, rel, buf, sizeof(buf), path, sizeof(path));
		if (!ret)
			ret = midr_parse(buf, &l->midr[cpu]);
		if (ret) {
			snprintf(t->reason, sizeof(t->reason), "no MIDR for CPU %d (%.160s: %s)",
				 cpu, path, ret == -EINVAL ? "not a MIDR" : strerror(-ret));
			return ret;
		}
		l->key[cpu] = midr_kind_key(l->midr[cpu]);
	}
	return 0;
}

static void kinds_from_hwloc(struct topo_load *l)
{
	struct topology *t = l->t;
	unsigned int h, k;
	size_t n = strlen(t->reason);
	int cpu;

	t->kinds_from = t->nr_hwloc_kinds ? TOPO_KINDS_HWLOC : TOPO_KINDS_NONE;
	snprintf(t->reason + n, sizeof(t->reason) - n, t->nr_hwloc_kinds ?
		 "; kinds from hwloc" : "; hwloc has no CPU kinds: one kind");
	for (cpu = 0; cpu < TOPO_MAX_CPUS; cpu++) {
		l->midr[cpu] = 0;
		l->key[cpu] = -1;
		for (h = 0; h < t->nr_hwloc_kinds; h++)
			if (topo_cpuset_has(&t->hwloc_kinds[h], cpu))
				l->key[cpu] = h;
	}
	kinds_group(l);
	for (k = 0; k < t->nr_kinds; k++) {
		struct topo_kind *kd = &t->kinds[k];

		cpu = topo_cpuset_next(&kd->cpus, 0);
		h = (unsigned int)l->key[cpu];
		if (l->key[cpu] < 0)
			snprintf(kd->label, sizeof(kd->label), "unknown");
		else if (l->hk[h].core_type[0])
			snprintf(kd->label, sizeof(kd->label), "%s", l->hk[h].core_type);
		else
			snprintf(kd->label, sizeof(kd->label), "hwloc-kind-%u", h);
	}
}

/* Appends "A; B; C" (CPU lists) to buf. */
static void note_sets(char *buf, size_t len, const struct topo_cpuset *s,
		      unsigned int i)
{
	size_t n = strlen(buf);

	if (i && n + 2 < len) {
		memcpy(buf + n, "; ", 3);
		n += 2;
	}
	topo_cpuset_format(s, buf + n, len - n);
}

/* Matches each kind to hwloc's; a kind without its twin is a disagreement. */
static void kinds_compare(struct topo_load *l)
{
	struct topology *t = l->t;
	char mine[88], theirs[88];	/* both fit in disagreement[] */
	bool agree = t->nr_hwloc_kinds == t->nr_kinds;
	unsigned int h, k;

	for (k = 0; k < t->nr_kinds; k++) {
		struct topo_kind *kd = &t->kinds[k];

		for (h = 0; h < t->nr_hwloc_kinds; h++) {
			if (!topo_cpuset_equal(&kd->cpus, &t->hwloc_kinds[h]))
				continue;
			kd->hwloc_kind = h;
			kd->efficiency = l->hk[h].efficiency;
			kd->freq_max_mhz = l->hk[h].freq_max_mhz;
		}
		if (kd->hwloc_kind < 0)
			agree = false;
	}
	if (agree || !t->nr_hwloc_kinds || t->kinds_from != TOPO_KINDS_MIDR)
		return;
	mine[0] = theirs[0] = '\0';
	for (h = 0; h < t->nr_hwloc_kinds; h++)
		note_sets(theirs, sizeof(theirs), &t->hwloc_kinds[h], h);
	for (k = 0; k < t->nr_kinds; k++)
		note_sets(mine, sizeof(mine), &t->kinds[k].cpus, k);
	snprintf(t->disagreement, sizeof(t->disagreement),
		 "hwloc has %u kinds (%s), the MIDRs %u (%s): MIDR kinds used",
		 t->nr_hwloc_kinds, theirs, t->nr_kinds, mine);
}

static void kinds_finish(struct topology *t)
{
	unsigned int c, k, p;

	for (c = 0; c < t->nr_cores; c++) {
		for (k = 0; k < t->nr_kinds; k++) {
			if (topo_cpuset_has(&t->kinds[k].cpus, t->cores[c].first_cpu)) {
				t->cores[c].kind = k;
				t->kinds[k].nr_cores++;
			}
		}
	}
	for (k = 0; k < t->nr_kinds; k++) {
		t->kinds[k].pmu_type = -1;
		for (p = 0; p < t->nr_pmus; p++) {
			if (topo_cpuset_subset(&t->kinds[k].cpus, &t->pmus[p].cpus)) {
				memcpy(t->kinds[k].pmu, t->pmus[p].name, sizeof(t->kinds[k].pmu));
				t->kinds[k].pmu_type = t->pmus[p].type;
				break;
			}
		}
	}
	t->heterogeneous = t->nr_kinds > 1;
}

/* An absent file (no isolcpus=, no nohz_full=) is an empty set. */
static void cpulist_read(const char *root, const char *rel, struct topo_cpuset *s)
{
	char buf[1024], path[512];

	topo_cpuset_clear(s);
	if (!sysfs_read(root, rel, buf, sizeof(buf), path, sizeof(path)) &&
	    topo_cpuset_parse(s, buf))
		topo_cpuset_clear(s);
}

int topology_load(struct topology *t, const struct topology_source *src,
		  char *err, size_t len)
{
	const char *root = src && src->sysfs ? src->sysfs : "/";
	struct topo_load *l;
	unsigned int k;
	int ret;

	memset(t, 0, sizeof(*t));
	snprintf(t->source, sizeof(t->source), "%s",
		 src && src->xml ? src->xml : "this machine");
	snprintf(t->sysfs, sizeof(t->sysfs), "%s", root);
	l = calloc(1, sizeof(*l));
	if (!l) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	l->t = t;
	l->err = err;
	l->len = len;
	ret = hwloc_open(l, src ? src->xml : NULL);
	if (!ret)
		ret = cores_read(l);
	if (!ret)
		ret = hwloc_kinds_read(l);
	if (ret)
		goto err_free;
	pmus_scan(t, root);
	cpulist_read(root, "sys/devices/system/cpu/isolated", &t->isolated);
	cpulist_read(root, "sys/devices/system/cpu/nohz_full", &t->nohz_full);
	if (!midrs_read(l, root)) {
		t->kinds_from = TOPO_KINDS_MIDR;
		kinds_group(l);
		for (k = 0; k < t->nr_kinds; k++)
			midr_label(t->kinds[k].midr, t->kinds[k].label, TOPO_LABEL_MAX);
	} else {
		kinds_from_hwloc(l);
	}
	kinds_compare(l);
	kinds_finish(t);
err_free:
	if (l->set)
		hwloc_bitmap_free(l->set);
	if (l->topo)
		hwloc_topology_destroy(l->topo);
	free(l);
	return ret;
}

void topology_free(struct topology *t)
{
	free(t->cores);
	t->cores = NULL;
	t->nr_cores = 0;
}
