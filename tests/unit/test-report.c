// SPDX-License-Identifier: GPL-2.0
/* The report writer, the schema check, and baselines, on real reports too. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi.h"
#include "report/baseline.h"
#include "report/report.h"
#include "tap.h"

static const char *const argv0[] = { "run", "--guest", "every" };

static void feed(struct run_result *res, enum insn_class c, unsigned int n,
		 uint64_t host, uint64_t entries)
{
	struct step_record r = {
		.row = catalog_find(c == CLASS_SYSREG ? "mrs_id_aa64pfr0" : "nop"),
		.pc = GUEST_CODE, .pc_after = GUEST_CODE + 4, .pc_expected = GUEST_CODE + 4,
		.effect_ok = true, .nexits = 1, .have = (1u << M_COUNTERS) - 1 + (1u << M_RUNS),
	};
	unsigned int i;

	arch_decode_syndrome(0xca000022, &r.syn);
	r.m[M_HOST_INSNS] = host;
	r.m[M_ENTRIES] = entries;
	r.m[M_GUEST_INSNS] = 1;
	r.m[M_RUNS] = 1;
	for (i = 0; i < n; i++) {
		class_stats_add(&res->cls[c], &r, 0);
		res->steps++;
	}
	class_stats_settle(&res->cls[c]);
}

static json_t *synthetic(struct run_result *res, const char *status)
{
	static struct run_context ctx = {
		.kernel_release = "6.1.0-test", .kernel_version = "#1 SMP test",
		.machine = "aarch64", .compatible = "linux,dummy-virt", .kvm_mode = "vhe",
		.midr = "0x00000000000f0510", .emulated = true, .date = "2026-01-01T00:00:00Z",
	};
	static char why[M_COUNTERS][96];
	static struct board b;
	struct report_input in = {
		.ctx = &ctx, .board = &b, .res = res, .have = (1u << M_MAX) - 1, .why = why,
		.argc = 3, .argv = (char *const *)argv0, .status = status,
	};

	board_defaults(&b);
	return report_build(&in);
}

static void test_build(void)
{
	struct run_result *res = calloc(1, sizeof(*res));
	char err[512], dir[] = "/tmp/steplab-test.XXXXXX", path[600];
	json_t *doc, *back;
	struct stat st;

	run_result_init(res);
	feed(res, CLASS_UNTRAPPED, 99, 9303, 1);
	feed(res, CLASS_UNTRAPPED, 1, 12700, 1);
	feed(res, CLASS_SYSREG, 50, 12935, 2);
	snprintf(res->progs[0].name, sizeof(res->progs[0].name), "mix");
	snprintf(res->progs[0].spec, sizeof(res->progs[0].spec), "untrapped:2,sysreg:1");
	res->progs[0].steps = res->progs[0].planned = 150;
	res->nprogs = 1;
	res->nc[0].r = (struct step_record) { .row = 0, .pc = 0x40001000, .pc_after = 0x40001008,
					     .pc_expected = 0x40001004, .nexits = 1, .effect_ok = true };
	res->nc[0].faults = FAULT_PC;
	snprintf(res->nc[0].program, sizeof(res->nc[0].program), "mix");
	res->nnc = 1;
	res->nonconforming = 1;

	doc = synthetic(res, "complete");
	tap_ok(doc != NULL, "a report is built");
	tap_ok(!report_validate(doc, err, sizeof(err)), "it validates against the schema (%s)", err);
	tap_ok(json_integer_value(json_object_get(json_array_get(json_object_get(doc, "classes"), 0),
						  "steps")) == 100, "untrapped holds its 100 steps");
	tap_ok(!strcmp(json_string_value(json_object_get(json_object_get(doc, "design"), "verdict")),
		       "flag-based"), "the design verdict is in");
	tap_ok(json_is_false(json_object_get(json_object_get(doc, "summary"), "conforming")),
	       "a non-conforming step makes the run non-conforming");
	tap_ok(json_array_size(json_object_get(json_object_get(doc, "nonconforming"), "steps")) == 1,
	       "the non-conforming step is listed");

	tap_ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(path, sizeof(path), "%s/r.json", dir);
	tap_ok(!report_write(path, doc, err, sizeof(err)), "written atomically");
	tap_ok(!stat(path, &st) && (st.st_mode & 0777) == (0666 & ~umask(022)),
	       "with the usual file mode");
	tap_ok(!report_load(path, &back, err, sizeof(err)) && json_equal(doc, back),
	       "read back, it is the same document");
	json_decref(back);
	snprintf(path, sizeof(path), "%s/no/such/dir/r.json", dir);
	tap_ok(report_write(path, doc, err, sizeof(err)) == -ENOENT && strstr(err, path),
	       "an unwritable path fails, naming it: %s", err);
	{
		DIR *d = opendir(dir);
		struct dirent *e;
		int n = 0;

		while (d && (e = readdir(d)))
			n += e->d_name[0] != '.';
		closedir(d);
		tap_ok(n == 1, "nothing but the one report is left in the directory");
	}
	snprintf(path, sizeof(path), "%s/r.json", dir);
	unlink(path);
	rmdir(dir);
	json_decref(doc);

	doc = synthetic(res, "interrupted");
	tap_ok(!report_validate(doc, err, sizeof(err)) &&
	       !strcmp(json_string_value(json_object_get(doc, "status")), "interrupted"),
	       "an interrupted run gives a valid report that says so");
	json_decref(doc);
	run_result_free(res);
	free(res);
}

static void test_real_reports(void)
{
	DIR *d = opendir("results/examples");
	struct dirent *e;
	char path[512], err[512];
	json_t *doc, *base;
	int n = 0;

	while (d && (e = readdir(d))) {
		if (!strstr(e->d_name, ".json"))
			continue;
		snprintf(path, sizeof(path), "results/examples/%s", e->d_name);
		tap_ok(!report_load(path, &doc, err, sizeof(err)) &&
		       !report_validate(doc, err, sizeof(err)), "%s validates (%s)", path, err);
		base = baseline_make(doc, err, sizeof(err));
		tap_ok(base && baseline_check(base, doc, stderr, err, sizeof(err)) == 0,
		       "%s matches the baseline made from it", path);
		{
			json_t *hvc = json_object_get(json_object_get(base, "classes"), "hvc");
			json_int_t hi = json_integer_value(json_object_get(hvc, "host_instructions"));

			/* a list of modes seen from boot to boot: any of them matches */
			json_object_set_new(hvc, "host_instructions", json_pack("[II]", hi - 6, hi));
			tap_ok(baseline_check(base, doc, stderr, err, sizeof(err)) == 0,
			       "a baseline mode given as a list matches any of its counts");
			json_object_set_new(hvc, "host_instructions", json_pack("[II]", hi - 6, hi + 6));
			tap_ok(baseline_check(base, doc, stdout, err, sizeof(err)) == 1,
			       "and a list without the report's mode fails");
			json_object_set_new(hvc, "host_instructions", json_integer(hi));
		}
		json_object_set_new(json_object_get(json_object_get(base, "classes"), "hvc"),
				    "entries", json_integer(1));
		tap_ok(baseline_check(base, doc, stdout, err, sizeof(err)) == 1,
		       "an early-exit baseline (hvc entries 1) fails on it");
		json_decref(base);
		json_decref(doc);
		n++;
	}
	if (d)
		closedir(d);
	tap_ok(n > 0, "results/examples holds real reports (%d)", n);
}

/* Messages quote the input, and stay one line whatever it holds. */
static void test_one_line(void)
{
	json_t *doc, *base;
	char err[512];

	tap_ok(report_load_buffer("mem", "{}\x1a", 3, &doc, err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "mem:1:3: end of file expected near '?'"),
	       "a raw control byte Jansson quotes is shown as '?': %s", err);
	tap_ok(!report_load_buffer("mem", "{\"schema\": \"a\\nb\"}", 18, &doc, err, sizeof(err)) &&
	       report_validate(doc, err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "schema, schema_version: missing; not a steplab report"),
	       "a buffer loads; without schema_version it is no report (%s)", err);
	json_decref(doc);
	doc = json_pack("{ss ss}", "schema", "x\ny", "schema_version", "1.0");
	tap_ok(report_validate(doc, err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "schema: 'x?y' is not 'steplab-report'"), "a quoted schema: %s", err);
	json_object_set_new(doc, "schema", json_string(REPORT_SCHEMA));
	json_object_set_new(doc, "schema_version", json_string("2\r.0"));
	tap_ok(report_validate(doc, err, sizeof(err)) == -EINVAL &&
	       !strcmp(err, "schema_version: '2?.0': this steplab reads major version 1"),
	       "a quoted version: %s", err);
	json_decref(doc);
	doc = json_pack("{s{ss}}", "context", "board", "qemu-virt");
	base = json_pack("{ss ss s{s{si}}}", "schema", BASELINE_SCHEMA, "board", "a\nb", "classes",
			 "hvc", "entries", 2);
	tap_ok(baseline_check(base, doc, stdout, err, sizeof(err)) == -ESRCH &&
	       !strcmp(err, "board: baseline is for 'a?b', report is from 'qemu-virt'"),
	       "a baseline for another board, quoted: %s", err);
	json_decref(base);
	json_decref(doc);
}

/* Output of one check, for the assertions on what it names. */
static int check_text(const json_t *base, const json_t *doc, const struct baseline_opts *o,
		      char *text, size_t tlen, char *err, size_t len)
{
	FILE *f = fmemopen(text, tlen, "w");
	int ret;

	ret = baseline_check_opts(base, doc, f, o, err, len);
	fclose(f);
	return ret;
}

/* A baseline that checks nothing, or less than the report measured, fails. */
static void test_baseline_gaps(void)
{
	const char *path = "results/examples/qemu-virt-debian-6.1.json";
	const char *const ignore_host[] = { "host_instructions", NULL };
	struct baseline_opts o = { .min_share = -1 };
	char err[512], text[4096];
	json_t *doc, *base, *classes, *empty;
	int ret;

	if (report_load(path, &doc, err, sizeof(err))) {
		tap_ok(0, "%s loads (%s)", path, err);
		return;
	}
	base = baseline_make(doc, err, sizeof(err));
	classes = json_object_get(base, "classes");

	empty = json_deep_copy(base);
	json_object_set_new(empty, "classes", json_object());
	ret = check_text(empty, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == -EINVAL && !strcmp(err, "classes: the baseline names no class, so it checks nothing"),
	       "a baseline with \"classes\": {} is refused (%d: %s)", ret, err);
	json_decref(empty);

	json_object_set_new(classes, "sysreg", json_object());
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == 1 && !strcmp(text, "sysreg: the baseline names no metric for it\n"),
	       "a class with no metric in the baseline is a mismatch, naming it (%d)", ret);
	json_object_del(classes, "sysreg");
	json_object_del(classes, "smc");
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == 2 && strstr(text, "sysreg: in the report, not in the baseline\n") &&
	       strstr(text, "smc: in the report, not in the baseline\n"),
	       "each report class missing from the baseline is a mismatch naming it (%d)", ret);
	json_decref(base);

	base = baseline_make(doc, err, sizeof(err));
	classes = json_object_get(base, "classes");
	json_object_set_new(json_object_get(classes, "untrapped"), "host_instructions",
			    json_integer(1));
	json_object_set_new(json_object_get(classes, "hvc"), "entries", json_integer(1));
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == 2, "host instructions and entries changed: 2 mismatches (%d)", ret);
	o.ignore = ignore_host;
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == 1 && !strcmp(text, "hvc.entries: mode 2, baseline 1\n"),
	       "--ignore host_instructions: the entries mismatch still counts (%d)", ret);
	o.ignore = NULL;

	json_object_set_new(base, "kernel_version", json_string("#1 SMP Debian 6.1.192-1"));
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == -ESRCH && strstr(err, "kernel_version: baseline is for '#1 SMP Debian 6.1.192-1'"),
	       "a baseline of another build: -ESRCH naming the version (%s)", err);
	o.other_build = true;
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == 1 && strstr(text, "kernel_version: baseline is for '#1 SMP Debian 6.1.192-1', report is from") &&
	       strstr(text, "hvc.entries: mode 2, baseline 1\n") && !strstr(text, "host_instructions"),
	       "--other-build: names the moved version, checks entries, not host instructions (%d)", ret);
	json_object_set_new(base, "board", json_string("rock5b"));
	ret = check_text(base, doc, &o, text, sizeof(text), err, sizeof(err));
	tap_ok(ret == -ESRCH && !strncmp(err, "board:", 6),
	       "--other-build: another board is still refused (%s)", err);
	json_decref(base);
	json_decref(doc);
}

int main(void)
{
	test_build();
	test_real_reports();
	test_baseline_gaps();
	test_one_line();
	return tap_done();
}
