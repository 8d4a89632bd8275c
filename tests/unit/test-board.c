// SPDX-License-Identifier: GPL-2.0
/*
 * Board files: the shipped ones load and conform to the schema, their
 * cores, GPIO lines and checklist parse as written; malformed ones get the
 * one-line "file:field: reason" their "_expect_error" regex names, and the
 * schema rejects them too unless they say "_beyond_schema" (duplicates,
 * inverted ranges: rules JSON Schema cannot state).
 */
#include <dirent.h>
#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lib/board.h"
#include "lib/jschema.h"
#include "tap.h"

static json_t *schema;

static void test_reference(void)
{
	const struct board_gpio *g;
	const struct board_core *k;
	struct board b;
	char err[512];

	tap_ok(!board_load("boards/qemu-virt.json", &b, err, sizeof(err)), "qemu-virt loads (%s)", err);
	tap_ok(!strcmp(b.name, "qemu-virt") && b.emulated && !strcmp(b.kvm_mode, "vhe"),
	       "it is the emulated VHE reference board");
	tap_ok(b.expect[CLASS_SYSREG].board && b.expect[CLASS_SYSREG].per_entry &&
	       b.expect[CLASS_SYSREG].guest_lo == 0 && b.expect[CLASS_SYSREG].guest_hi == 0 &&
	       b.expect[CLASS_SYSREG].quirk && strstr(b.expect[CLASS_SYSREG].quirk, "QEMU"),
	       "it records the sysreg quirk (one per guest entry)");
	tap_ok(b.expect[CLASS_MMIO_READ].per_entry && b.expect[CLASS_MMIO_READ].guest_lo == -1 &&
	       b.expect[CLASS_MMIO_WRITE].per_entry && b.expect[CLASS_MMIO_WRITE].guest_hi == -1,
	       "and MMIO's: one less than the guest entries");
	tap_ok(b.expect[CLASS_EXCEPTION].guest_lo == 2 && b.expect[CLASS_EXCEPTION].guest_hi == 2,
	       "an exact count is a range of one");
	tap_ok(!b.expect[CLASS_UNTRAPPED].board && b.expect[CLASS_UNTRAPPED].guest_lo == 1 &&
	       b.expect[CLASS_UNTRAPPED].guest_hi == 1, "untrapped keeps the default (exactly 1)");
	tap_ok(!strcmp(b.soc, "QEMU virt") && b.ncompatible == 1 &&
	       !strcmp(b.compatible[0], "linux,dummy-virt"), "soc and DT compatible");
	k = &b.cores[0];
	tap_ok(b.ncores == 1 && !strcmp(k->kind, "qemu-max") && k->implementer == 0x00 &&
	       k->part == 0x051 && k->count == 1 && !strcmp(k->pmu, "armv8_pmuv3"),
	       "one core kind: QEMU's max CPU, part 0x051, PMU armv8_pmuv3");
	tap_ok(board_core_by_midr(&b, 0x000f0510) == k && !board_core_by_midr(&b, 0x414fd0b1),
	       "MIDR 0x000f0510 (-cpu max) is that kind, a Cortex-A76's is not");
	g = board_gpio_get(&b, BOARD_GPIO_MARKER);
	tap_ok(b.ngpio == 3 && g && !strcmp(g->chip, "9030000.pl061") && g->offset == 0 &&
	       !g->line[0] && !g->active_low && g->settle_ms == 0,
	       "the marker is offset 0 of the PL061");
	g = board_gpio_get(&b, BOARD_GPIO_POWER);
	tap_ok(g && !strcmp(g->chip, "steplab-sim") && !strcmp(g->line, "power") &&
	       g->offset == -1 && !g->active_low, "power is the gpio-sim line named power");
	g = board_gpio_get(&b, BOARD_GPIO_RESET);
	tap_ok(g && !strcmp(g->line, "reset") && g->active_low, "reset is active low");
	tap_ok(b.checklist.conformance_steps == 10000 && b.checklist.min_counter_hz == 10000000 &&
	       b.checklist.max_perf_event_paranoid == 1 && !b.checklist.require_perf_user_access &&
	       b.checklist.require_kvm_tracepoints, "checklist thresholds as written");
}

static void test_rock5b(void)
{
	const struct board_core *a55, *a76;
	const struct board_gpio *g;
	struct board b;
	char err[512];
	unsigned int c, dflt = 0;

	tap_ok(!board_load("boards/rock5b.json", &b, err, sizeof(err)), "rock5b loads (%s)", err);
	tap_ok(!b.emulated && !strcmp(b.kvm_mode, "vhe") && !strcmp(b.soc, "RK3588") &&
	       b.ncompatible == 2 && !strcmp(b.compatible[0], "radxa,rock-5b") &&
	       !strcmp(b.compatible[1], "rockchip,rk3588"), "rock5b: physical RK3588, VHE");
	a55 = board_core_by_midr(&b, 0x412fd050);	/* Cortex-A55 r2p0 */
	a76 = board_core_by_midr(&b, 0x414fd0b0);	/* Cortex-A76 r4p0 */
	tap_ok(b.ncores == 2 && a55 && !strcmp(a55->kind, "cortex-a55") && a55->count == 4 &&
	       !strcmp(a55->pmu, "armv8_cortex_a55"), "four Cortex-A55 (0x41/0xd05) on armv8_cortex_a55");
	tap_ok(a76 && !strcmp(a76->kind, "cortex-a76") && a76->implementer == 0x41 &&
	       a76->part == 0xd0b && a76->count == 4 && !strcmp(a76->pmu, "armv8_cortex_a76"),
	       "four Cortex-A76 (0x41/0xd0b) on armv8_cortex_a76");
	tap_eq_u64(board_cores_total(&b), 8, "eight cores in all");
	g = board_gpio_get(&b, BOARD_GPIO_MARKER);
	tap_ok(b.ngpio == 2 && g && !strcmp(g->chip, "gpio3") && g->offset == 0,
	       "marker: gpio3 offset 0");
	g = board_gpio_get(&b, BOARD_GPIO_POWER);
	tap_ok(g && !strcmp(g->chip, "ftdi-cbus") && g->offset == 0 && g->active_low &&
	       g->settle_ms == 3000, "power: active low, 3000 ms to settle");
	tap_ok(!board_gpio_get(&b, BOARD_GPIO_RESET), "no reset line");
	for (c = 0; c < CLASS_MAX; c++)
		dflt += !b.expect[c].board;
	tap_ok(dflt == CLASS_MAX, "no measured expectations: every class keeps the default");
	tap_ok(b.checklist.conformance_steps == 100000 && b.checklist.max_perf_event_paranoid == 1,
	       "checklist thresholds as written");
}

static void test_defaults(void)
{
	struct board b;

	board_defaults(&b);
	tap_ok(!strcmp(b.name, "unknown") && !b.expect[CLASS_HVC].board &&
	       b.expect[CLASS_HVC].guest_lo == 1 && b.expect[CLASS_HVC].guest_hi == 1 &&
	       b.expect[CLASS_SYSREG].guest_lo == 0 && b.expect[CLASS_SYSREG].guest_hi == 0 &&
	       !b.expect[CLASS_SYSREG].per_entry,
	       "defaults: the architecture's count: hvc executes (1), a trapped mrs does not (0)");
	tap_ok(!b.ncores && !b.ngpio && !board_gpio_get(&b, BOARD_GPIO_MARKER) &&
	       b.gpio[BOARD_GPIO_POWER].offset == -1 && b.checklist.require_kvm_tracepoints &&
	       b.checklist.conformance_steps == 100000, "defaults: no cores, no lines, checklist");
	tap_ok(!strcmp(board_gpio_role_name(BOARD_GPIO_RESET), "reset") &&
	       !strcmp(board_gpio_role_name(BOARD_GPIO_ROLE_MAX), "?"), "role names");
}

/* The schema lists every instruction class under expect, and no other. */
static void test_schema(void)
{
	const json_t *props = json_object_get(json_object_get(json_object_get(schema,
		"properties"), "expect"), "properties");
	unsigned int c, found = 0;

	tap_ok(schema != NULL, "the built-in schema is JSON");
	for (c = 0; c < CLASS_MAX; c++)
		found += json_object_get(props, class_name(c)) != NULL;
	tap_ok(found == CLASS_MAX && json_object_size(props) == CLASS_MAX,
	       "the schema's expect names the %d instruction classes", CLASS_MAX);
}

/* The "_expect_error" of a file, read from its text: it may not be JSON. */
static int expected_error(const char *path, char *out, size_t len)
{
	static const char key[] = "\"_expect_error\": \"";
	char text[4096], *p, *q;
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	p = strstr(text, key);
	q = p ? strchr(p + sizeof(key) - 1, '"') : NULL;
	if (!q)
		return -ENOENT;
	p += sizeof(key) - 1;
	snprintf(out, len, "%.*s", (int)(q - p), p);
	return 0;
}

static bool matches(const char *pattern, const char *text)
{
	regex_t re;
	bool ok;

	if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = !regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	return ok;
}

static void check_refused(const char *path)
{
	char err[512] = "", pat[256] = "", serr[256];
	size_t plen = strlen(path);
	struct board b;
	json_t *doc;
	int ret, sret;
	bool beyond;

	ret = board_load(path, &b, err, sizeof(err));
	tap_ok(ret == -EINVAL && !strncmp(err, path, plen) && err[plen] == ':' &&
	       !strchr(err, '\n'), "%s refused: %s", path, err);
	tap_ok(!expected_error(path, pat, sizeof(pat)) && err[plen] == ':' &&
	       matches(pat, err + plen + 1), "%s: the message matches '%s'", path, pat);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	if (!doc)
		return;		/* not JSON: nothing for the schema to say */
	beyond = json_is_true(json_object_get(doc, "_beyond_schema"));
	sret = jschema_validate(schema, doc, serr, sizeof(serr));
	if (beyond)
		tap_ok(!sret, "%s: beyond what the schema states, it passes it", path);
	else
		tap_ok(sret == -EINVAL, "%s: the schema rejects it too (%s)", path, serr);
	json_decref(doc);
}

static void check_loads(const char *path)
{
	char err[512] = "", serr[256] = "";
	struct board b;
	json_t *doc;

	tap_ok(!board_load(path, &b, err, sizeof(err)) && b.ncores > 0, "%s loads (%s)", path, err);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, NULL);
	tap_ok(doc && !jschema_validate(schema, doc, serr, sizeof(serr)),
	       "%s validates against the schema (%s)", path, serr);
	json_decref(doc);
}

static void test_dir(const char *dir, bool want_ok, int at_least)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[512];
	int n = 0;

	while (d && (e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (want_ok)
			check_loads(path);
		else
			check_refused(path);
		n++;
	}
	if (d)
		closedir(d);
	tap_ok(n >= at_least, "%s holds %d board files (at least %d)", dir, n, at_least);
}

/* One line, whatever bytes the file quotes. */
static bool one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* board_load_buffer(): the same board as from the file; bytes, not a string. */
static void test_buffer(void)
{
	static const char head[] = "{\"schema\": \"steplab-board\", \"schema_version\": \"1.0\"";
	char text[8192], err[512] = "", ferr[512];
	struct board b, f;
	size_t n = 0;
	FILE *fp = fopen("boards/rock5b.json", "r");

	if (fp) {
		n = fread(text, 1, sizeof(text), fp);
		fclose(fp);
	}
	tap_ok(n > 0 && n < sizeof(text) &&
	       !board_load_buffer("rock5b", text, n, &b, err, sizeof(err)) && !err[0] &&
	       !board_load("boards/rock5b.json", &f, ferr, sizeof(ferr)) &&
	       !strcmp(b.path, "rock5b") && !strcmp(b.name, f.name) && b.ncores == f.ncores &&
	       b.cores[1].part == f.cores[1].part && b.ngpio == f.ngpio,
	       "a buffer loads as its file does (%s)", err);
	memcpy(text + n, "garbage", 7);
	tap_ok(!board_load_buffer("rock5b", text, n, &b, err, sizeof(err)),
	       "only the given length is read");
	tap_ok(board_load_buffer("mem", "[]", 1, &b, err, sizeof(err)) == -EINVAL &&
	       !strncmp(err, "mem:1:", 6), "a cut buffer is not JSON: %s", err);
	tap_ok(board_load_buffer("mem", "{}\x1a", 3, &b, err, sizeof(err)) == -EINVAL &&
	       one_line(err) && strstr(err, "near '?'"),
	       "a raw control byte Jansson quotes stays on the line: %s", err);
	strcpy(text, "{\"schema\": \"steplab-board\\n\", \"x\": 1}");
	tap_ok(board_load_buffer("mem", text, strlen(text), &b, err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "mem:schema: 'steplab-board?' is not 'steplab-board'"),
	       "a quoted \\n stays on the line: %s", err);
	snprintf(text, sizeof(text), "%s, \"name\": \"x\", \"emulated\": true, \"cores\": [{"
		 "\"kind\": \"a\", \"implementer\": \"0x41\", \"part\": \"0xd0b\", \"count\": 1, "
		 "\"pmu\": \"p\"}], \"expect\": {\"x\\u0001\": {}}}", head);
	tap_ok(board_load_buffer("mem", text, strlen(text), &b, err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "mem:expect.x?: no such instruction class"),
	       "a quoted key stays on the line: %s", err);
}

int main(void)
{
	struct board b;
	char err[512];

	schema = json_loads(board_schema_text(), 0, NULL);
	test_reference();
	test_rock5b();
	test_defaults();
	test_schema();
	test_buffer();
	test_dir("boards", true, 5);
	test_dir("tests/data/boards", false, 20);
	tap_ok(board_load("tests/data/nope.json", &b, err, sizeof(err)) == -ENOENT &&
	       strstr(err, "tests/data/nope.json"), "a missing file is -ENOENT: %s", err);
	json_decref(schema);
	return tap_done();
}
