// SPDX-License-Identifier: GPL-2.0
/*
 * Exporters on the example report and on a synthetic one that fails: names
 * made safe, failures, unknowns and skips where each format has them, and
 * the medians and bounds carried exactly.
 */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"
#include "report/report.h"
#include "report-doc.h"
#include "tap.h"

#define EXAMPLE "results/examples/qemu-virt-debian-6.1.json"
#define BAD "steplab.lab_board_7__x_"

static char *export_str(enum export_format fmt, const struct export_opts *o,
			json_t **docs, size_t n, int *ret)
{
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f) {
		*ret = -ENOMEM;
		return NULL;
	}
	*ret = export_write(fmt, o, docs, n, f, err, sizeof(err));
	fclose(f);
	if (*ret && *ret != -EINVAL)
		tap_diag("export_write: %s", err);
	return buf;
}

/* One report exported, and what it wrote parsed as JSON (NULL if it is not). */
static json_t *export_json(enum export_format fmt, json_t *doc, char **out, int *ret)
{
	*out = export_str(fmt, NULL, &doc, 1, ret);
	return json_loads(*out ? *out : "", 0, NULL);
}

static bool has(const char *out, const char *s)
{
	return out && strstr(out, s);
}

/* Every line: lava-test-case NAME --result R [--measurement V --units U] */
static bool lava_lines_ok(const char *out, size_t *lines)
{
	static const char re[] = "^lava-test-case [A-Za-z0-9_.-]+ --result "
		"(pass|fail|skip|unknown)( --measurement -?[0-9]+(\\.[0-9]+)?"
		"([eE][-+]?[0-9]+)? --units [A-Za-z0-9_./-]+)?$";
	char *copy = strdup(out ? out : ""), *save = NULL, *line;
	bool ok = copy != NULL;
	regex_t rx;

	*lines = 0;
	if (!ok || regcomp(&rx, re, REG_EXTENDED | REG_NOSUB)) {
		free(copy);
		return false;
	}
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		(*lines)++;
		if (regexec(&rx, line, 0, NULL, 0)) {
			tap_diag("bad line: %s", line);
			ok = false;
		}
	}
	regfree(&rx);
	free(copy);
	return ok;
}

static json_t *kcidb_test(const json_t *doc, const char *path)
{
	const json_t *t;
	size_t i;

	json_array_foreach(json_object_get(doc, "tests"), i, t)
		if (!strcmp(json_string_value(json_object_get(t, "path")), path))
			return (json_t *)t;
	return NULL;
}

static json_t *metric(json_t *doc, const char *cls, const char *m)
{
	return json_object_get(json_object_get(class_get(doc, cls), "metrics"), m);
}

static json_int_t get_int(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* Every class's every metric: one lava line carrying its exact median. */
static bool lava_medians_ok(const char *out, const json_t *doc)
{
	const json_t *c, *m;
	const char *name;
	char line[256];
	size_t i, n = 0;

	json_array_foreach(json_object_get(doc, "classes"), i, c) {
		json_object_foreach(json_object_get(c, "metrics"), name, m) {
			snprintf(line, sizeof(line), "steplab.qemu-virt.%s.%s.median --result pass "
				 "--measurement %lld --units ",
				 json_string_value(json_object_get(c, "class")), name,
				 (long long)get_int(m, "median"));
			if (!has(out, line)) {
				tap_diag("missing: %s", line);
				return false;
			}
			n++;
		}
	}
	return n > 0;
}

static void example_lava(json_t *ex)
{
	char want[160], *out;
	size_t lines;
	int ret;

	out = export_str(EXPORT_LAVA, NULL, &ex, 1, &ret);
	tap_ok(!ret && lava_lines_ok(out, &lines), "lava: every line is a lava-test-case call");
	tap_ok(lines == 98, "lava: 98 checks (3 run, 10 classes x 9, 5 designs) (%zu)", lines);
	tap_ok(has(out, "lava-test-case steplab.qemu-virt.conformance --result pass\n"),
	       "lava: overall conformance passes");
	tap_ok(has(out, "lava-test-case steplab.qemu-virt.design --result pass\n"),
	       "lava: flag-based design passes");
	snprintf(want, sizeof(want), "lava-test-case steplab.qemu-virt.untrapped.host_instructions.median "
		 "--result pass --measurement %lld --units instructions\n",
		 (long long)get_int(metric(ex, "untrapped", "host_instructions"), "median"));
	tap_ok(has(out, want), "lava: untrapped host instructions: %s", want);
	tap_ok(has(out, "--units KVM_RUN_calls\n") && has(out, "--units ns\n"),
	       "lava: units from the metric, made one word");
	tap_ok(lava_medians_ok(out, ex), "lava: every class and metric has its exact median");
	tap_ok(!has(out, "untrapped.design"), "lava: no design check for a class KVM does not emulate");
	free(out);
}

/* The default origin's id, build id and start time of a conformance test. */
static bool kcidb_defaults_ok(const json_t *t, const json_t *ex)
{
	const json_t *ctx = json_object_get(ex, "context");
	const char *date = json_string_value(json_object_get(ctx, "date"));
	const char *rel = json_string_value(json_object_get(ctx, "kernel_release"));
	char id[160], build[96];

	snprintf(id, sizeof(id), "steplab:qemu-virt/%s/steplab.sysreg.conformance", date);
	snprintf(build, sizeof(build), "steplab:%s", rel);
	return t && !strcmp(json_string_value(json_object_get(t, "status")), "PASS") &&
	       !strcmp(json_string_value(json_object_get(t, "id")), id) &&
	       !strcmp(json_string_value(json_object_get(t, "build_id")), build) &&
	       !strcmp(json_string_value(json_object_get(t, "start_time")), date);
}

static void example_kcidb(json_t *ex)
{
	json_t *k, *t, *m;
	char *out;
	int ret;

	k = export_json(EXPORT_KCIDB, ex, &out, &ret);
	tap_ok(!ret && k && get_int(json_object_get(k, "version"), "major") == 5,
	       "kcidb: JSON with version major 5");
	tap_ok(json_array_size(json_object_get(k, "tests")) == 98, "kcidb: one test per check");
	t = kcidb_test(k, "steplab.sysreg.host_instructions.median");
	m = metric(ex, "sysreg", "host_instructions");
	tap_ok(t && !strcmp(json_string_value(json_object_get(t, "status")), "DONE") &&
	       json_integer_value(json_object_get(json_object_get(t, "number"), "value")) ==
	       get_int(m, "median") &&
	       !strcmp(json_string_value(json_object_get(json_object_get(t, "number"), "unit")),
		       "instructions"),
	       "kcidb: a median is DONE with number {value, unit}");
	t = kcidb_test(k, "steplab.sysreg.conformance");
	tap_ok(kcidb_defaults_ok(t, ex), "kcidb: default origin, id, build id and start time");
	json_decref(k);
	free(out);
}

static void example_kcidb_opts(json_t *ex)
{
	struct export_opts lab = { .origin = "lab_1", .build_id = "kernelci:abc123" };
	char *out;
	int ret;

	out = export_str(EXPORT_KCIDB, &lab, &ex, 1, &ret);
	tap_ok(!ret && has(out, "\"origin\": \"lab_1\"") && has(out, "\"id\": \"lab_1:qemu-virt/") &&
	       has(out, "\"build_id\": \"kernelci:abc123\""), "kcidb: --origin and --build-id used");
	free(out);
	lab.origin = "Lab-1";
	out = export_str(EXPORT_KCIDB, &lab, &ex, 1, &ret);
	tap_ok(ret == -EINVAL, "kcidb: an origin outside [a-z0-9_] is refused");
	free(out);
	lab.origin = NULL;
	lab.build_id = "abc123";
	out = export_str(EXPORT_KCIDB, &lab, &ex, 1, &ret);
	tap_ok(ret == -EINVAL, "kcidb: a build id without ORIGIN: is refused");
	free(out);
}

static void example_bmf_junit(json_t *ex)
{
	json_t *b, *t, *m;
	char *out;
	int ret;

	b = export_json(EXPORT_BMF, ex, &out, &ret);
	m = metric(ex, "hvc", "time_ns");
	t = json_object_get(json_object_get(b, "steplab.qemu-virt.hvc"), "time-ns");
	tap_ok(!ret && t && get_int(t, "value") == get_int(m, "median") &&
	       get_int(t, "lower_value") == get_int(m, "p10") &&
	       get_int(t, "upper_value") == get_int(m, "p90"),
	       "bmf: hvc time-ns is median with p10/p90 bounds");
	tap_ok(json_object_size(b) == 10 &&
	       json_object_size(json_object_get(b, "steplab.qemu-virt.mem")) == 8,
	       "bmf: a benchmark per class, a measure per metric");
	json_decref(b);
	free(out);

	out = export_str(EXPORT_JUNIT, NULL, &ex, 1, &ret);
	tap_ok(!ret && has(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites") &&
	       has(out, "<testsuite name=\"steplab.qemu-virt\" tests=\"98\" failures=\"0\" "
		   "errors=\"0\" skipped=\"0\""), "junit: one suite of 98, nothing failed");
	tap_ok(has(out, "<testcase classname=\"steplab.qemu-virt.mmio_read\" name=\"design\""),
	       "junit: classname and name from the check");
	free(out);
}

static void test_format_names(void)
{
	size_t i;

	for (i = 0; i < EXPORT_FORMAT_MAX; i++)
		if (export_format_parse(export_format_name(i)) != (int)i)
			break;
	tap_ok(i == EXPORT_FORMAT_MAX && export_format_parse("xml") == -EINVAL,
	       "format names parse both ways; an unknown one is refused");
}

static void test_example(json_t *ex)
{
	example_lava(ex);
	example_kcidb(ex);
	example_kcidb_opts(ex);
	example_bmf_junit(ex);
	test_format_names();
}

static void metric_drop(json_t *doc, const char *name)
{
	json_t *c;
	size_t i;

	json_array_foreach(json_object_get(doc, "classes"), i, c) {
		json_object_del(json_object_get(c, "metrics"), name);
		json_object_del(json_object_get(c, "completion_run"), name);
	}
}

/* The example with a board name to clean, three bad sysreg steps, a buggy
 * hvc, an unknown mmio_read, no cycles counter, and an interrupted run. */
static json_t *synthetic(const json_t *ex)
{
	json_t *d = json_deep_copy(ex), *ctx = json_object_get(d, "context"), *c, *nc;
	char err[512];

	json_object_set_new(ctx, "board", json_string("lab board/7 <x>"));
	json_object_set_new(json_object_get(ctx, "counters"), "cycles",
			    json_pack("{sb ss}", "available", 0, "reason", "no PMU cycles event"));
	metric_drop(d, "cycles");
	c = class_get(d, "sysreg");
	json_object_set_new(c, "conforming", json_integer(get_int(c, "steps") - 3));
	c = class_get(d, "hvc");
	json_object_set_new(json_object_get(c, "design"), "verdict", json_string("buggy"));
	json_object_set_new(json_object_get(c, "design"), "evidence",
			    json_string("ran 2 insns <PC + 8> & \"quoted\""));
	c = class_get(d, "mmio_read");
	json_object_set_new(json_object_get(c, "design"), "verdict", json_string("unknown"));
	json_object_set_new(json_object_get(d, "design"), "verdict", json_string("buggy"));
	json_object_set_new(d, "status", json_string("interrupted"));
	json_object_set_new(d, "stopped", json_string("SIGINT"));
	json_object_set_new(json_object_get(d, "summary"), "conforming", json_false());
	json_object_set_new(json_object_get(d, "summary"), "nonconforming", json_integer(3));
	nc = json_object_get(d, "nonconforming");
	json_object_set_new(nc, "count", json_integer(3));
	json_array_append_new(json_object_get(nc, "steps"), json_pack(
		"{sI ss ss ss ss ss ss s[s] ss}", "index", (json_int_t)42, "program", "mix",
		"class", "sysreg", "row", "mrs_id", "pc", "0x1000", "pc_after", "0x1008",
		"pc_expected", "0x1004", "faults", "pc", "evidence", "two instructions"));
	if (report_validate(d, err, sizeof(err))) {
		tap_diag("synthetic report: %s", err);
		json_decref(d);
		return NULL;
	}
	return d;
}

static void synthetic_lava(json_t *bad)
{
	char *out;
	size_t lines;
	int ret;

	out = export_str(EXPORT_LAVA, NULL, &bad, 1, &ret);
	tap_ok(!ret && lava_lines_ok(out, &lines) && lines == 98,
	       "lava: the failing report's lines keep the syntax, same count");
	tap_ok(has(out, "lava-test-case " BAD ".sysreg.conformance --result fail\n"),
	       "lava: board name made safe; the failing class fails");
	tap_ok(has(out, BAD ".conformance --result fail\n") &&
	       has(out, BAD ".complete --result fail\n") &&
	       has(out, BAD ".design --result fail\n") &&
	       has(out, BAD ".hvc.design --result fail\n"),
	       "lava: overall conformance, completion and buggy designs fail");
	tap_ok(has(out, BAD ".mmio_read.design --result unknown\n"),
	       "lava: an unknown verdict is unknown");
	tap_ok(has(out, BAD ".sysreg.cycles.median --result skip\n") &&
	       !has(out, "cycles.median --result pass"),
	       "lava: the unavailable counter is skip, without a measurement");
	free(out);
}

/* Why the synthetic report's sysreg fails: 3 steps of however many it has. */
static void sysreg_why(json_t *bad, char *why, size_t len)
{
	snprintf(why, len, "3 of %lld steps did not conform",
		 (long long)get_int(class_get(bad, "sysreg"), "steps"));
}

static void synthetic_kcidb(json_t *bad)
{
	json_t *k, *t;
	char why[96], *out;
	int ret;

	sysreg_why(bad, why, sizeof(why));
	k = export_json(EXPORT_KCIDB, bad, &out, &ret);
	t = kcidb_test(k, "steplab.sysreg.conformance");
	tap_ok(!ret && t && !strcmp(json_string_value(json_object_get(t, "status")), "FAIL") &&
	       !strcmp(json_string_value(json_object_get(t, "comment")),
		       why), "kcidb: the failing class is FAIL with why (%s)", why);
	t = kcidb_test(k, "steplab.smc.cycles.median");
	tap_ok(t && !strcmp(json_string_value(json_object_get(t, "status")), "SKIP") &&
	       !json_object_get(t, "number") &&
	       strstr(json_string_value(json_object_get(t, "comment")), "no PMU cycles event"),
	       "kcidb: the unavailable counter is SKIP, no number, the reason kept");
	t = kcidb_test(k, "steplab.mmio_read.design");
	tap_ok(t && !strcmp(json_string_value(json_object_get(t, "status")), "ERROR"),
	       "kcidb: an unknown verdict is ERROR");
	t = kcidb_test(k, "steplab.conformance");
	tap_ok(t && strstr(json_string_value(json_object_get(t, "comment")),
			   "first: step 42 (sysreg, mrs_id, pc 0x1000): two instructions"),
	       "kcidb: the overall failure names the first bad step");
	json_decref(k);
	free(out);
}

static void synthetic_bmf_junit(json_t *bad)
{
	char why[96], junit_why[160], *out;
	json_t *b;
	int ret;

	b = export_json(EXPORT_BMF, bad, &out, &ret);
	tap_ok(!ret && json_object_get(b, BAD ".sysreg") && !has(out, "\"cycles\"") &&
	       json_object_size(json_object_get(b, BAD ".sysreg")) == 7,
	       "bmf: the skipped metric is left out, the others stay");
	json_decref(b);
	free(out);

	sysreg_why(bad, why, sizeof(why));
	snprintf(junit_why, sizeof(junit_why), "<failure message=\"%s\" type=\"fail\">", why);
	out = export_str(EXPORT_JUNIT, NULL, &bad, 1, &ret);
	tap_ok(!ret && has(out, "tests=\"98\" failures=\"5\" errors=\"1\" skipped=\"10\""),
	       "junit: 5 failures, 1 error, 10 skipped");
	tap_ok(has(out, junit_why),
	       "junit: a failing class carries <failure message>");
	tap_ok(has(out, "&lt;PC + 8&gt; &amp; &quot;quoted&quot;") && !has(out, "<PC + 8>"),
	       "junit: evidence escaped");
	tap_ok(has(out, "<property name=\"board\" value=\"lab board/7 &lt;x&gt;\"/>"),
	       "junit: the raw board name kept, escaped, as a property");
	tap_ok(has(out, "<skipped message=\"counter unavailable: no PMU cycles event\"/>"),
	       "junit: the unavailable counter is <skipped/>");
	free(out);
}

/* Two reports in one export; then the synthetic one without its date. */
static void synthetic_two_and_undated(json_t *ex, json_t *bad)
{
	json_t *docs[2] = { ex, ex };
	char *out;
	int ret;

	out = export_str(EXPORT_LAVA, NULL, docs, 2, &ret);
	tap_ok(!ret && has(out, "steplab.qemu-virt-6_1_0-56-arm64-1.complete ") &&
	       has(out, "steplab.qemu-virt-6_1_0-56-arm64-2.complete "),
	       "two reports of one board and kernel: names made unique");
	free(out);
	docs[1] = bad;
	out = export_str(EXPORT_JUNIT, NULL, docs, 2, &ret);
	tap_ok(!ret && has(out, "<testsuites name=\"steplab\" tests=\"196\" failures=\"5\"") &&
	       has(out, "name=\"steplab.qemu-virt\"") && has(out, "name=\"" BAD "\""),
	       "two boards: one document, a suite each, the boards' names");
	free(out);

	json_object_del(json_object_get(bad, "context"), "date");
	out = export_str(EXPORT_KCIDB, NULL, &bad, 1, &ret);
	tap_ok(!ret && has(out, ":lab_board_7__x_/undated-") && !has(out, "start_time"),
	       "kcidb: an undated report gets ids from its content, no start time");
	free(out);
}

static void test_synthetic(json_t *ex)
{
	json_t *bad = synthetic(ex);

	tap_ok(bad != NULL, "synthetic non-conforming report validates");
	if (!bad)
		return;
	synthetic_lava(bad);
	synthetic_kcidb(bad);
	synthetic_bmf_junit(bad);
	synthetic_two_and_undated(ex, bad);
	json_decref(bad);
}

static void test_sanitize(void)
{
	char buf[32];

	export_name_sanitize(buf, sizeof(buf), "a.b c/d-é", false);
	tap_ok(!strcmp(buf, "a_b_c_d-__"), "sanitize: [A-Za-z0-9_-] kept, the rest '_' (%s)", buf);
	export_name_sanitize(buf, sizeof(buf), "6.1.0-56", true);
	tap_ok(!strcmp(buf, "6.1.0-56"), "sanitize: dots kept when asked");
	export_name_sanitize(buf, sizeof(buf), "", false);
	tap_ok(!strcmp(buf, "_"), "sanitize: an empty name becomes '_'");
}

int main(void)
{
	char err[512];
	json_t *ex;

	if (report_load(EXAMPLE, &ex, err, sizeof(err)) ||
	    report_validate(ex, err, sizeof(err))) {
		tap_diag("%s: %s", EXAMPLE, err);
		tap_ok(0, "the example report loads and validates");
		return tap_done();
	}
	test_sanitize();
	test_example(ex);
	test_synthetic(ex);
	json_decref(ex);
	return tap_done();
}
