// SPDX-License-Identifier: GPL-2.0
/* The dashboard from copies of the example: grouping, order, changes, escaping, the file. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dashboard/html.h"
#include "dashboard/model.h"
#include "report/report.h"
#include "tap.h"

#define EXAMPLE "results/examples/qemu-virt-debian-6.1.json"

static json_t *example;

static void dist_shift(json_t *m, json_int_t by)
{
	static const char *const keys[] = { "min", "p10", "median", "p90", "p99", "max", "mode" };
	json_t *p;
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		json_object_set_new(m, keys[i], json_integer(dash_int(m, keys[i]) + by));
	json_array_foreach(json_object_get(json_object_get(m, "histogram"), "pairs"), i, p)
		json_array_set_new(p, 0, json_integer(json_integer_value(json_array_get(p, 0)) + by));
}

/* The example as a run of @release on @date, sysreg's host cost moved by @shift. */
static json_t *run_new(const char *release, const char *date, json_int_t shift)
{
	json_t *d = json_deep_copy(example), *ctx = json_object_get(d, "context");

	json_object_set_new(ctx, "kernel_release", json_string(release));
	json_object_set_new(ctx, "date", json_string(date));
	if (shift)
		dist_shift((json_t *)dash_dist(d, "sysreg", DASH_METRIC), shift);
	return d;
}

static int add(struct dashboard *d, const char *name, const char *release, const char *date,
	       json_int_t shift)
{
	json_t *doc = run_new(release, date, shift);
	char err[256];
	int ret = dashboard_add(d, name, doc, err, sizeof(err));

	json_decref(doc);
	return ret;
}

static char *render(const struct dashboard *d)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	if (!f)
		return NULL;
	ret = dashboard_render(d, f);
	fclose(f);
	if (ret) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int count(const char *s, const char *what)
{
	int n = 0;

	for (; (s = strstr(s, what)); s += strlen(what))
		n++;
	return n;
}

static void test_escape(void)
{
	char *buf = NULL, num[32];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	dash_esc(f, "<b>&\"'\x01ok");
	fclose(f);
	tap_ok(buf && !strcmp(buf, "&lt;b&gt;&amp;&quot;&#39;?ok"), "text is escaped: %s", buf);
	free(buf);
	tap_ok(!strcmp(dash_num(num, sizeof(num), 300), "300") &&
	       !strcmp(dash_num(num, sizeof(num), -2.5), "-2.5") &&
	       !strcmp(dash_num(num, sizeof(num), NAN), "-"),
	       "numbers: whole ones as such, others with one decimal, NaN as -");
}

static void test_history(void)
{
	struct dashboard *d = dashboard_new();
	struct dashboard_counts c;
	char err[256], *page;
	int ret = 0;

	tap_ok(d && dashboard_build(d, NULL, err, sizeof(err)) == -ENODATA,
	       "nothing added: -ENODATA (%s)", err);
	/* added out of date order: the marker must land on the third night */
	ret |= add(d, "b1.json", "6.12.0", "2026-11-21T02:00:00Z", 0);
	ret |= add(d, "a3.json", "6.1.0", "2026-11-23T01:00:00Z", 300);
	ret |= add(d, "a1.json", "6.1.0", "2026-11-21T01:00:00Z", 0);
	ret |= add(d, "a4.json", "6.1.0", "2026-11-24T01:00:00Z", 300);
	ret |= add(d, "a2.json", "6.1.0", "2026-11-22T01:00:00Z", 0);
	ret |= add(d, "b2.json", "6.12.0", "2026-11-22T02:00:00Z", -40);
	ret |= add(d, "x1.json", "<b>&\"'", "2026-11-22T02:00:00Z", 0);
	tap_ok(!ret, "seven runs added");
	tap_ok(dashboard_build(d, "9.9", err, sizeof(err)) == -ENOENT && strstr(err, "'9.9'"),
	       "an unknown reference: -ENOENT (%s)", err);
	ret = dashboard_build(d, "6.12.0", err, sizeof(err));
	tap_ok(!ret, "built against 6.12.0 (%s)", ret ? err : "");
	tap_ok(add(d, "late.json", "6.1.0", "2026-11-25", 0) == -EBUSY, "no adding after the build");
	dashboard_counts(d, &c);
	tap_ok(c.boards == 1 && c.kernels == 3 && c.runs == 7 && c.regressions == 1 &&
	       c.improvements == 1 && !c.nonconforming,
	       "1 board, 3 kernels, 7 runs, 1 regression, 1 improvement (%zu %zu %zu %zu %zu)",
	       c.boards, c.kernels, c.runs, c.regressions, c.improvements);
	page = render(d);
	tap_ok(page != NULL, "the page renders");
	if (!page)
		goto out;
	tap_ok(count(page, "class=\"regression\"") == 1 &&
	       strstr(page, "class=\"regression\" data-board=\"qemu-virt\" data-kernel=\"6.1.0\" "
		      "data-class=\"sysreg\" data-run=\"a3.json\""),
	       "one regression marker: 6.1.0 sysreg, on the third night");
	tap_ok(count(page, "class=\"improvement\"") == 1 &&
	       strstr(page, "data-kernel=\"6.12.0\" data-class=\"sysreg\" data-run=\"b2.json\""),
	       "one improvement marker: 6.12.0 sysreg");
	{
		json_int_t med = dash_int(dash_dist(example, "sysreg", DASH_METRIC), "median");
		char want[64];

		snprintf(want, sizeof(want), "%lld &rarr; %lld", (long long)med, (long long)med + 300);
		tap_ok(strstr(page, want) != NULL, "the list names both medians (%s)", want);
	}
	tap_ok(!strstr(page, "<b>&\"'") && strstr(page, "&lt;b&gt;&amp;&quot;&#39;"),
	       "a kernel release from a report is escaped");
	tap_ok(count(page, "<svg class=\"plot") == 3 * 10 + 10,
	       "a history plot per kernel and class, a distribution plot per class (%d)",
	       count(page, "<svg class=\"plot"));
	tap_ok(strstr(page, "Reference: 6.12.0 (flag-based)") != NULL, "the reference is named");
	tap_ok(count(page, "://") == count(page, "xmlns=\"http://www.w3.org/2000/svg\""),
	       "no URL but the SVG namespace");
	free(page);
out:
	dashboard_free(d);
}

static int dir_entries(const char *dir)
{
	struct dirent *e;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((e = readdir(dp)))
		n += e->d_name[0] != '.';
	closedir(dp);
	return n;
}

static void test_write(void)
{
	char dir[] = "/tmp/steplab-dash-XXXXXX", path[256], err[512];
	struct dashboard *d = dashboard_new();
	json_t *bad = json_deep_copy(example);
	int ret;

	if (!mkdtemp(dir) || !d || !bad) {
		tap_ok(0, "a temporary directory");
		goto out;
	}
	json_array_set_new(json_object_get(json_object_get((json_t *)dash_dist(bad, "mem", "cycles"),
							   "histogram"), "pairs"), 0,
			   json_pack("[ii]", 5, 0));
	tap_ok(dashboard_add(d, "bad.json", bad, err, sizeof(err)) == -EINVAL &&
	       strstr(err, "/metrics/cycles/histogram/pairs"),
	       "an unreadable histogram is refused, named: %s", err);
	ret = add(d, "a.json", "6.1.0", "2026-11-21T01:00:00Z", 0);
	ret = ret ?: dashboard_build(d, NULL, err, sizeof(err));
	snprintf(path, sizeof(path), "%s/nope/page.html", dir);
	tap_ok(!ret && dashboard_write(d, path, err, sizeof(err)) == -ENOENT &&
	       strstr(err, path) && dir_entries(dir) == 0,
	       "a missing directory: -ENOENT, nothing left (%s)", err);
	snprintf(path, sizeof(path), "%s/page.html", dir);
	tap_ok(!dashboard_write(d, path, err, sizeof(err)) && dir_entries(dir) == 1 &&
	       !access(path, R_OK), "the page written whole, no temporary file left");
	unlink(path);
	rmdir(dir);
out:
	json_decref(bad);
	dashboard_free(d);
}

int main(void)
{
	char err[512];

	test_escape();
	if (report_load(EXAMPLE, &example, err, sizeof(err)) ||
	    report_validate(example, err, sizeof(err))) {
		tap_ok(0, "dashboard from %s: the example loads and validates (%s)", EXAMPLE, err);
		return tap_done();
	}
	test_history();
	test_write();
	json_decref(example);
	return tap_done();
}
