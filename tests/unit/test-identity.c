// SPDX-License-Identifier: GPL-2.0
/*
 * Like with like: KVM's mode from every kernel's log line, the board file
 * a machine matches, a report's identity and what may be compared, and
 * the boot-to-boot spread a baseline records.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "lib/board-find.h"
#include "lib/compare.h"
#include "lib/context.h"
#include "lib/identity.h"
#include "report/baseline.h"
#include "tap.h"

static void test_modes(void)
{
	static const struct {
		const char *log, *mode;
	} cases[] = {
		{ "[    0.5] kvm [1]: VHE mode initialized successfully\n", "vhe" },
		{ "[    0.5] kvm [1]: Hyp mode initialized successfully\n", "nvhe" },
		{ "[    0.5] kvm [1]: Protected nVHE mode initialized successfully\n", "protected" },
		{ "[    0.5] kvm [1]: Hyp nVHE mode initialized successfully\n", "nvhe" },
		{ "[    0.5] kvm [1]: Hyp hVHE mode initialized successfully\n", "hvhe" },
		{ "[    0.5] kvm [1]: Protected hVHE mode initialized successfully\n", "protected" },
		{ "nothing about KVM\n", NULL },
	};
	const char *line, *got;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		got = kvm_mode_from_text(cases[i].log, &line);
		if (!cases[i].mode)
			tap_ok(!got, "a log without KVM's line names no mode");
		else
			tap_ok(got && !strcmp(got, cases[i].mode), "'%.*s': %s (%s)",
			       (int)strcspn(cases[i].log + 19, "\n"), cases[i].log + 19,
			       cases[i].mode, got ? got : "none");
	}
}

static void machine_set(struct machine *m, const char *compat, size_t clen, uint64_t midr,
			unsigned int n)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->compatible, compat, clen);
	m->compatible_len = clen;
	m->has_dt = clen > 0;
	for (m->nmidr = 0; m->nmidr < n; m->nmidr++)
		m->midr[m->nmidr] = midr;
}

static void test_matches(void)
{
	static const char virt[] = "linux,dummy-virt";
	static const char rpi[] = "raspberrypi,5-model-b\0brcm,bcm2712";
	struct board max, n1, altra, rpi5;
	struct machine m;
	char why[320], err[512];

	tap_ok(!board_load("boards/qemu-virt.json", &max, err, sizeof(err)) &&
	       !board_load("boards/qemu-virt-n1.json", &n1, err, sizeof(err)) &&
	       !board_load("boards/ampere-altra.json", &altra, err, sizeof(err)) &&
	       !board_load("boards/rpi5.json", &rpi5, err, sizeof(err)), "board files load (%s)", err);
	tap_ok(!strcmp(n1.qemu_cpu, "neoverse-n1") && n1.emulated, "qemu-virt-n1 names its QEMU model");

	machine_set(&m, virt, sizeof(virt), 0x000f0510, 1);
	tap_ok(board_matches(&max, &m, why, sizeof(why)) > 0, "-cpu max: qemu-virt (%s)", why);
	tap_ok(!board_matches(&n1, &m, why, sizeof(why)), "-cpu max: not qemu-virt-n1 (%s)", why);

	machine_set(&m, virt, sizeof(virt), 0x414fd0c1, 1);
	tap_ok(board_matches(&n1, &m, why, sizeof(why)) > 0, "-cpu neoverse-n1: qemu-virt-n1 (%s)", why);
	tap_ok(!board_matches(&altra, &m, why, sizeof(why)),
	       "an emulated N1 with a device tree is not the ACPI Altra (%s)", why);

	machine_set(&m, "", 0, 0x413fd0c1, 80);
	tap_ok(board_matches(&altra, &m, why, sizeof(why)) > 0, "80 N1 cores, no device tree: ampere-altra (%s)", why);

	machine_set(&m, rpi, sizeof(rpi), 0x414fd0b1, 4);
	tap_ok(board_matches(&rpi5, &m, why, sizeof(why)) == 2, "a Pi 5: rpi5, on its first compatible (%s)", why);
	machine_set(&m, rpi, sizeof(rpi), 0x410fd083, 4);
	tap_ok(!board_matches(&rpi5, &m, why, sizeof(why)), "Pi 5 tree, A72 cores: no match (%s)", why);
}

static json_t *report_of(const char *path)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);

	if (!doc)
		tap_diag("%s: %s", path, je.text);
	return doc;
}

static void test_identity(void)
{
	json_t *a = report_of("results/examples/qemu-virt-debian-6.1.json"), *b, *ctx;
	struct identity ia, ib;
	char err[1024];

	if (!a) {
		tap_ok(0, "the example report loads");
		return;
	}
	identity_of(a, &ia);
	tap_ok(!strcmp(ia.v[ID_BOARD], "qemu-virt") && !strcmp(ia.v[ID_KVM_MODE], "vhe") &&
	       strstr(ia.v[ID_KERNEL], "6.1.0") && strstr(ia.v[ID_PROGRAM], "mix untrapped:45") &&
	       !strcmp(ia.v[ID_REENTRY], "plain") && strstr(ia.v[ID_COUNTING], "EL0 EL2"),
	       "an older report has an identity: board, mode, kernel, programs, re-entry, counting");

	b = json_deep_copy(a);
	ctx = json_object_get(b, "context");
	json_object_set_new(ctx, "kernel_release", json_string("6.12.95+deb12-arm64"));
	identity_of(b, &ib);
	tap_ok(identity_diff(&ia, &ib) == 1u << ID_KERNEL, "another kernel: one dimension differs");
	tap_ok(!compare_check_compatible(a, b, err, sizeof(err)) && !strcmp(compare_what(a, b), "kernel"),
	       "so they compare, on the kernel");

	json_object_set_new(ctx, "kvm_mode", json_string("nvhe"));
	tap_ok(compare_check_compatible(a, b, err, sizeof(err)) == -EXDEV &&
	       strstr(err, "kvm_mode 'vhe' vs 'nvhe'") && strstr(err, "kernel"),
	       "another kernel in another mode: refused, naming both (%.120s)", err);

	json_object_set_new(ctx, "kernel_release", json_string("6.1.0-56-arm64"));
	json_object_set_new(ctx, "kvm_mode", json_string("vhe"));
	json_object_set_new(json_array_get(json_object_get(b, "programs"), 3), "seed", json_integer(99));
	identity_of(b, &ib);
	tap_ok(!identity_diff(&ia, &ib) && strcmp(ia.v[ID_SEED], ib.v[ID_SEED]),
	       "another seed of the same mix: named, the same identity");

	/* how the counters were read is part of the counting */
	tap_ok(strstr(ia.v[ID_COUNTING], "user reads") &&
	       !strstr(ia.v[ID_COUNTING], "tracepoints on at every step"),
	       "user reads, tracepoints on a schedule: in the counting (%s)", ia.v[ID_COUNTING]);
	json_object_set_new(json_object_get(ctx, "counter_reads"), "tracepoints_every",
			    json_integer(1));
	identity_of(b, &ib);
	tap_ok(identity_diff(&ia, &ib) == 1u << ID_COUNTING &&
	       strstr(ib.v[ID_COUNTING], "tracepoints on at every step") &&
	       !strcmp(compare_what(a, b), "counting"),
	       "tracepoints on at every step: another counting, compared as such");
	json_object_set_new(json_object_get(ctx, "counter_reads"), "hardware", json_string("read(2)"));
	json_object_set_new(json_object_get(ctx, "counter_reads"), "tracepoints_every",
			    json_integer(128));
	identity_of(b, &ib);
	tap_ok(identity_diff(&ia, &ib) == 1u << ID_COUNTING && strstr(ib.v[ID_COUNTING], "read(2)"),
	       "read(2) instead of user reads: another counting");
	json_object_del(ctx, "counter_reads");
	identity_of(b, &ib);
	tap_ok(strstr(ib.v[ID_COUNTING], "read(2), tracepoints on at every step") != NULL,
	       "a report from before counter_reads: read(2), tracepoints always on");
	json_decref(b);
	json_decref(a);
}

static void test_spread(void)
{
	json_t *a = report_of("results/examples/qemu-virt-debian-6.1.json"), *b, *base, *m, *c;
	const char *names[] = { "again.json" };
	char err[512];
	size_t i;

	if (!a) {
		tap_ok(0, "the example report loads");
		return;
	}
	base = baseline_make(a, err, sizeof(err));
	b = json_deep_copy(a);
	json_array_foreach(json_object_get(b, "classes"), i, c) {
		m = json_object_get(json_object_get(c, "metrics"), "host_instructions");
		if (!strcmp(json_string_value(json_object_get(c, "class")), "sysreg"))
			json_object_set_new(m, "mode", json_integer(json_integer_value(
					    json_object_get(m, "mode")) + 8));
	}
	tap_ok(base && !baseline_spread(base, &b, 1, names, err, sizeof(err)), "spread of two boots (%s)", err);
	tap_ok(json_integer_value(json_object_get(json_object_get(base, "boot_spread"), "sysreg")) == 8 &&
	       json_integer_value(json_object_get(json_object_get(base, "boot_spread"), "untrapped")) == 0 &&
	       json_integer_value(json_object_get(base, "boot_spread_boots")) == 2,
	       "sysreg moved 8 between the boots, untrapped not");
	json_object_set_new(json_object_get(b, "context"), "kernel_release", json_string("other"));
	tap_ok(baseline_spread(base, &b, 1, names, err, sizeof(err)) == -ESRCH && strstr(err, "again.json"),
	       "a boot of another kernel: refused, naming the report (%s)", err);
	json_decref(base);
	json_decref(b);
	json_decref(a);
}

int main(void)
{
	test_modes();
	test_matches();
	test_identity();
	test_spread();
	return tap_done();
}
