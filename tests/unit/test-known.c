// SPDX-License-Identifier: GPL-2.0
/* Known divergences: the shipped file, bad files, kernel ranges, matching. */
#include <errno.h>
#include <string.h>

#include "abi.h"
#include "lib/known.h"
#include "lib/verdict.h"
#include "tap.h"

static struct step_record two(enum reentry path)
{
	struct step_record r = {
		.row = 0, .pc = GUEST_CODE, .pc_after = GUEST_CODE + 8,
		.pc_expected = GUEST_CODE + 4, .path = path,
	};

	return r;
}

static void test_shipped(void)
{
	struct known k;
	struct step_record r;
	char err[512] = "";

	tap_ok(!known_load("results/known-divergences.json", &k, err, sizeof(err)) && k.nr >= 1,
	       "the shipped file loads (%s)", err);
	known_for_kernel(&k, "6.1.0-56-arm64");
	tap_ok(k.applies & 1, "the re-entry divergence applies to Debian 6.1");
	r = two(RE_IMMEDIATE);
	tap_ok(known_match(&k, &r, CLASS_MMIO_READ) == 0, "an MMIO step at PC+8 on immediate-exit is known");
	r = two(RE_SIGNAL);
	tap_ok(known_match(&k, &r, CLASS_SYSREG) == 0, "a sysreg step at PC+8 on signal is known");
	r = two(RE_PLAIN);
	tap_ok(known_match(&k, &r, CLASS_MMIO_READ) < 0, "the same on plain re-entry is new");
	r = two(RE_SIGNAL);
	tap_ok(known_match(&k, &r, CLASS_HVC) < 0, "an hvc step at PC+8 is new");
	r = two(RE_SIGNAL);
	r.pc_after = GUEST_VECTORS + GUEST_VECTOR_SYNC_SPX;
	tap_ok(known_match(&k, &r, CLASS_SYSREG) == 0,
	       "a step whose second instruction was an svc (PC at the vector) is known");
	r.pc_after = GUEST_CODE + 4;
	tap_ok(known_match(&k, &r, CLASS_SYSREG) < 0, "a step that did not run two instructions is new");
	r.pc_after = GUEST_CODE;
	tap_ok(known_match(&k, &r, CLASS_SYSREG) < 0, "a step whose PC did not move is new");
	known_for_kernel(&k, "6.12.95+deb12-arm64");
	tap_ok(k.applies & 1, "it applies to 6.12.95");
	known_for_kernel(&k, "7.3.4+deb13-arm64");
	r = two(RE_SIGNAL);
	tap_ok(!(k.applies & 1) && known_match(&k, &r, CLASS_SYSREG) < 0,
	       "not to 7.3.4: there it would be new");
	known_for_kernel(&k, "5.10.0-28-arm64");
	tap_ok(!(k.applies & 1), "not to 5.10 (before the out: commit)");
}

static void test_versions(void)
{
	tap_ok(known_version("6.12.95+deb12-arm64") == (6u << 16 | 12u << 8 | 95u), "6.12.95+deb12");
	tap_ok(known_version("6.1") == (6u << 16 | 1u << 8), "6.1");
	tap_ok(known_version("6.1.192-steplab-fix") == (6u << 16 | 1u << 8 | 192u), "6.1.192-steplab-fix");
	tap_ok(!known_version("linux") && !known_version("6") && !known_version(""),
	       "no version: 0");
	tap_ok(!known_version("6.1.300"), "a part past 255 is refused");
}

static const struct {
	const char *name, *text, *want;
} bad[] = {
	{ "not-json", "{", "bad.json:1:" },
	{ "schema", "{\"schema\":\"x\",\"schema_version\":\"1.0\",\"divergences\":[]}", "bad.json:schema:" },
	{ "version", "{\"schema\":\"steplab-known\",\"schema_version\":\"2.0\",\"divergences\":[]}",
	  "bad.json:schema_version: must be 1.x" },
	{ "no-id", "{\"schema\":\"steplab-known\",\"schema_version\":\"1.0\",\"divergences\":[{}]}",
	  "bad.json:divergences[0].id: a non-empty string" },
	{ "range", "{\"schema\":\"steplab-known\",\"schema_version\":\"1.0\",\"divergences\":[{"
	  "\"id\":\"a\",\"title\":\"t\",\"reference\":\"r\",\"kernels\":{\"from\":\"6.14\","
	  "\"before\":\"5.13\"},\"classes\":[\"smc\"],\"paths\":[\"signal\"]}]}",
	  "bad.json:divergences[0].kernels: from and before" },
	{ "class", "{\"schema\":\"steplab-known\",\"schema_version\":\"1.0\",\"divergences\":[{"
	  "\"id\":\"a\",\"title\":\"t\",\"reference\":\"r\",\"kernels\":{\"from\":\"5.13\","
	  "\"before\":\"6.14\"},\"classes\":[\"smcx\"],\"paths\":[\"signal\"]}]}",
	  "bad.json:divergences[0].classes: item 0: 'smcx' is not a known name" },
	{ "path", "{\"schema\":\"steplab-known\",\"schema_version\":\"1.0\",\"divergences\":[{"
	  "\"id\":\"a\",\"title\":\"t\",\"reference\":\"r\",\"kernels\":{\"from\":\"5.13\","
	  "\"before\":\"6.14\"},\"classes\":[\"smc\"],\"paths\":[]}]}",
	  "bad.json:divergences[0].paths: a non-empty array" },
};

static void test_bad(void)
{
	struct known k;
	unsigned int i;
	char err[512];

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		tap_ok(known_load_buffer("bad.json", bad[i].text, strlen(bad[i].text), &k, err,
					 sizeof(err)) == -EINVAL &&
		       !strncmp(err, bad[i].want, strlen(bad[i].want)) && !strchr(err, '\n'),
		       "%s: refused in one line: %s", bad[i].name, err);
	}
	tap_ok(known_load("tests/data/no-such-file.json", &k, err, sizeof(err)) == -ENOENT &&
	       strstr(err, "no-such-file.json"), "a missing file names itself: %s", err);
}

int main(void)
{
	test_versions();
	test_shipped();
	test_bad();
	return tap_done();
}
