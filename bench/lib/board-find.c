// SPDX-License-Identifier: GPL-2.0
/*
 * Finding the board file of the machine steplab runs on, so that a run
 * without --board is judged by the right expectations instead of a file
 * someone typed.  A board file matches when its device-tree compatible
 * names the machine (a file without one only matches a machine without a
 * device tree: ACPI servers) and its core kinds are exactly the machine's
 * (MIDR implementer and part).  Directories are searched in order and a
 * name found once is not taken again.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/board-find.h"

int machine_read(struct machine *m)
{
	char path[128], buf[32];
	ssize_t n;
	FILE *f;
	size_t i;

	memset(m, 0, sizeof(*m));
	f = fopen("/proc/device-tree/compatible", "r");
	if (f) {
		n = (ssize_t)fread(m->compatible, 1, sizeof(m->compatible) - 1, f);
		fclose(f);
		m->compatible_len = n > 0 ? (size_t)n : 0;
		m->has_dt = n > 0;
	}
	for (i = 0; i < 4096 && m->nmidr < MACHINE_MAX_MIDR; i++) {
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%zu", i);
		if (access(path, F_OK))
			break;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%zu/regs/identification/midr_el1", i);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f))
			m->midr[m->nmidr++] = strtoull(buf, NULL, 0);
		fclose(f);
	}
	return m->nmidr || m->has_dt ? 0 : -ENOENT;
}

static bool machine_compatible(const struct machine *m, const char *want)
{
	size_t off = 0;

	while (off < m->compatible_len) {
		const char *s = m->compatible + off;

		if (!strcmp(s, want))
			return true;
		off += strlen(s) + 1;
	}
	return false;
}

static bool same_kind(uint64_t midr, uint32_t implementer, uint32_t part)
{
	return ((midr >> 24) & 0xff) == implementer && ((midr >> 4) & 0xfff) == part;
}

int board_matches(const struct board *b, const struct machine *m, char *why, size_t len)
{
	unsigned int i, k, hit;
	size_t n;

	if (!b->ncompatible && m->has_dt) {
		snprintf(why, len, "the file names no device tree (an ACPI machine); this one has one");
		return 0;
	}
	for (i = 0; i < b->ncompatible; i++)
		if (machine_compatible(m, b->compatible[i]))
			break;
	if (b->ncompatible && i == b->ncompatible) {
		snprintf(why, len, "device-tree compatible %s not on this machine", b->compatible[0]);
		return 0;
	}
	hit = i;
	for (k = 0; k < m->nmidr; k++)
		if (!board_core_by_midr(b, m->midr[k])) {
			snprintf(why, len, "no core kind of MIDR 0x%" PRIx64 " in the file", m->midr[k]);
			return 0;
		}
	for (i = 0; i < b->ncores; i++) {
		for (k = 0; k < m->nmidr; k++)
			if (same_kind(m->midr[k], b->cores[i].implementer, b->cores[i].part))
				break;
		if (k == m->nmidr) {
			snprintf(why, len, "core kind %s not on this machine", b->cores[i].kind);
			return 0;
		}
	}
	n = (size_t)snprintf(why, len, "%s%s%score kind%s",
			     b->ncompatible ? "device-tree compatible " : "no device tree, ",
			     b->ncompatible ? b->compatible[hit] : "",
			     b->ncompatible ? " and " : "", b->ncores > 1 ? "s" : "");
	for (i = 0; i < b->ncores && n < len; i++)
		n += (size_t)snprintf(why + n, len - n, "%s %s", i ? "," : "", b->cores[i].kind);
	/* the most specific compatible (the machine's first) wins a tie */
	return b->ncompatible && machine_compatible(m, b->compatible[0]) ? 2 : 1;
}

/* The directory of the running program, for the repo's boards/ beside a build. */
static void exe_relative(char *buf, size_t len, const char *rel)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	buf[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	if ((size_t)snprintf(buf, len, "%.3000s/%s", exe, rel) >= len)
		buf[0] = '\0';
}

unsigned int board_dirs(char dirs[][PATH_MAX], unsigned int max)
{
	const char *env = getenv("STEPLAB_BOARD_DIR");
	unsigned int n = 0;

	if (env && *env && n < max)
		snprintf(dirs[n++], PATH_MAX, "%s", env);
	/* installed beside the program: PREFIX/bin/steplab, PREFIX/share/steplab/boards */
	if (n < max)
		exe_relative(dirs[n++], PATH_MAX, "../share/steplab/boards");
	/* a build tree: build/ARCH/steplab, the repo's boards/ two levels up */
	if (n < max)
		exe_relative(dirs[n++], PATH_MAX, "../../boards");
	return n;
}

static int name_cmp(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int json_file(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

int board_find(const struct machine *m, struct board *out, char *why, size_t len)
{
	char dirs[4][PATH_MAX], path[PATH_MAX + 256], err[512], mwhy[256];
	char seen[64][64];
	unsigned int nd = board_dirs(dirs, 4), nseen = 0, d;
	int best = 0, score, i, nents;
	struct board *b = malloc(sizeof(*b));
	struct dirent **ents;

	if (!b)
		return -ENOMEM;
	for (d = 0; d < nd; d++) {
		if (!dirs[d][0])
			continue;
		nents = scandir(dirs[d], &ents, json_file, name_cmp);
		for (i = 0; i < nents; i++) {
			unsigned int s;

			snprintf(path, sizeof(path), "%.3800s/%.255s", dirs[d], ents[i]->d_name);
			free(ents[i]);
			if (board_load(path, b, err, sizeof(err)))
				continue;
			for (s = 0; s < nseen && strcmp(seen[s], b->name); s++)
				;
			if (s < nseen)
				continue;
			if (nseen < 64)
				snprintf(seen[nseen++], sizeof(seen[0]), "%s", b->name);
			score = board_matches(b, m, mwhy, sizeof(mwhy));
			if (score > best) {
				best = score;
				*out = *b;
				snprintf(why, len, "%s matches (%s)", path, mwhy);
			}
		}
		if (nents > 0)
			free(ents);
	}
	free(b);
	if (best)
		return 0;
	snprintf(why, len, "no board file in %s%s%s%s%s matches this machine",
		 dirs[0], nd > 1 && dirs[1][0] ? ", " : "", nd > 1 ? dirs[1] : "",
		 nd > 2 && dirs[2][0] ? ", " : "", nd > 2 ? dirs[2] : "");
	return -ENOENT;
}

void machine_describe(const struct machine *m, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "compatible %s, MIDR",
				    m->has_dt ? m->compatible : "(no device tree)");
	unsigned int i, k;

	for (i = 0; i < m->nmidr && n < len; i++) {
		for (k = 0; k < i && !same_kind(m->midr[k], (m->midr[i] >> 24) & 0xff,
						(m->midr[i] >> 4) & 0xfff); k++)
			;
		if (k == i)
			n += (size_t)snprintf(buf + n, len - n, " 0x%" PRIx64, m->midr[i]);
	}
	if (!m->nmidr && n < len)
		snprintf(buf + n, len - n, " unknown");
}
