// SPDX-License-Identifier: GPL-2.0
/* steplab dashboard: one static HTML page from a directory of reports. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "dashboard/dashboard.h"
#include "lib/opt.h"
#include "report/report.h"

struct dashboard_cmd {
	const char *dir;
	const char *output;
	const char *reference;
	const char *baselines;
	bool strict;
};

static void dashboard_usage(FILE *f)
{
	fprintf(f,
"usage: steplab dashboard DIR -o PAGE.html [--reference KERNEL] [--baselines DIR] [--strict]\n\n"
"Builds one self-contained HTML page (inline style and SVG, nothing fetched)\n"
"from every *.json report in DIR, grouped by board, then into series: one\n"
"per identity (kernel build, KVM mode, core kind, programs, re-entry paths,\n"
"counting domain) and design verdict, each series' runs in the order of\n"
"context.date:\n"
"  - conformance and the design verdict of each kernel's latest run;\n"
"  - per class and kernel, the median host instructions per step run by run,\n"
"    marked where it moved beyond the 95%% Hodges-Lehmann interval of the\n"
"    shift against the run before (as 'steplab compare' computes it);\n"
"  - each kernel's latest run against the reference kernel's;\n"
"  - the step-cost distributions of each kernel's latest run.\n"
"A report that cannot be read or does not validate is skipped with a warning.\n\n"
"  -o, --output PAGE      the page, written whole or not at all\n"
"  --reference KERNEL     compare against this kernel release (default: the\n"
"                         lowest release on each board)\n"
"  --baselines DIR        baselines (results/baselines) whose boot_spread says\n"
"                         how far a kernel's boots differ: a change is marked\n"
"                         only beyond both the interval and that spread\n"
"  --strict               a bad report is an error, not a warning\n"
"  -h, --help             this text\n\n"
"Exit status: 0 page written, 2 bad command line, no valid report, an unknown\n"
"--reference or (with --strict) a bad report, 3 the page could not be written.\n");
}

static int dashboard_parse(int argc, char **argv, struct dashboard_cmd *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "reference", required_argument, NULL, 'r' },
		{ "strict", no_argument, NULL, 's' },
		{ "baselines", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o': o->output = optarg; break;
		case 'r': o->reference = optarg; break;
		case 's': o->strict = true; break;
		case 'B': o->baselines = optarg; break;
		case 'h': dashboard_usage(stdout); return -1;
		default:
			opt_bad("dashboard", c, argv);
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		opt_usage("dashboard", "give one directory of reports");
		return EXIT_USAGE;
	}
	o->dir = argv[optind];
	if (o->baselines) {
		struct stat st;

		const char *why = stat(o->baselines, &st) ? strerror(errno) :
				  !S_ISDIR(st.st_mode) ? "not a directory" : NULL;

		if (why) {
			fprintf(stderr, "steplab dashboard: --baselines %s: %s\n", o->baselines, why);
			return EXIT_USAGE;
		}
	}
	if (!o->output) {
		opt_usage("dashboard", "give the page's path with -o");
		return EXIT_USAGE;
	}
	return 0;
}

static int is_report_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 && !strcmp(e->d_name + n - 5, ".json");
}

/* One line naming the file and what is wrong with it. */
static int bad_report(const struct dashboard_cmd *o, const char *path, const char *err)
{
	fprintf(stderr, "steplab dashboard: %s%s%s%s\n", o->strict ? "" : "warning: skipped ",
		path ? path : "", path ? ":" : "", err);
	return o->strict ? EXIT_USAGE : 1;
}

/* 0 added, 1 skipped with a warning, or an exit status. */
static int dashboard_add_file(struct dashboard *d, const struct dashboard_cmd *o,
			      const char *name)
{
	char path[4096], err[512];
	json_t *doc;
	int ret;

	snprintf(path, sizeof(path), "%s/%s", o->dir, name);
	if (report_load(path, &doc, err, sizeof(err)))
		return bad_report(o, NULL, err);	/* err names the file */
	if (report_validate(doc, err, sizeof(err))) {
		json_decref(doc);
		return bad_report(o, path, err);
	}
	ret = dashboard_add(d, name, doc, err, sizeof(err));
	json_decref(doc);
	if (ret == -ENOMEM) {
		fprintf(stderr, "steplab dashboard: out of memory\n");
		return EXIT_ERROR;
	}
	return ret ? bad_report(o, path, err) : 0;
}

static int dashboard_load(struct dashboard *d, const struct dashboard_cmd *o)
{
	struct dirent **names;
	int n, i, ret = 0, added = 0, skipped = 0;

	n = scandir(o->dir, &names, is_report_name, alphasort);
	if (n < 0) {
		fprintf(stderr, "steplab dashboard: %s: %s\n", o->dir, strerror(errno));
		return EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		if (!ret) {
			ret = dashboard_add_file(d, o, names[i]->d_name);
			if (ret == 1) {
				skipped++;
				ret = 0;
			} else if (!ret) {
				added++;
			}
		}
		free(names[i]);
	}
	free(names);
	if (!ret && !added) {
		fprintf(stderr, "steplab dashboard: %s: no valid report (%d skipped)\n", o->dir,
			skipped);
		ret = EXIT_USAGE;
	}
	return ret;
}

int cmd_dashboard(int argc, char **argv)
{
	struct dashboard_cmd o = { 0 };
	struct dashboard_counts c;
	struct dashboard *d;
	char err[1024];
	int ret;

	ret = dashboard_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	d = dashboard_new();
	if (!d) {
		fprintf(stderr, "steplab dashboard: out of memory\n");
		return EXIT_ERROR;
	}
	ret = dashboard_load(d, &o);
	if (ret)
		goto out;
	ret = dashboard_set_baselines(d, o.baselines) ?:
	      dashboard_build(d, o.reference, err, sizeof(err));
	if (ret) {
		if (ret == -ENOENT)
			fprintf(stderr, "steplab dashboard: --reference '%s': %s in %s\n",
				o.reference, err, o.dir);
		else
			fprintf(stderr, "steplab dashboard: %s\n", err);
		ret = ret == -ENOMEM ? EXIT_ERROR : EXIT_USAGE;
		goto out;
	}
	if (dashboard_write(d, o.output, err, sizeof(err))) {
		fprintf(stderr, "steplab dashboard: %s\n", err);
		ret = EXIT_ERROR;
		goto out;
	}
	dashboard_counts(d, &c);
	printf("%s: %zu reports, %zu board%s, %zu kernels; %zu regression%s, %zu improvement%s, "
	       "%zu run%s not conforming\n", o.output, c.runs, c.boards, c.boards == 1 ? "" : "s",
	       c.kernels, c.regressions, c.regressions == 1 ? "" : "s", c.improvements,
	       c.improvements == 1 ? "" : "s", c.nonconforming, c.nonconforming == 1 ? "" : "s");
	if (c.known)
		printf("%zu run%s only with known divergences\n", c.known, c.known == 1 ? "" : "s");
	ret = EXIT_OK;
out:
	dashboard_free(d);
	return ret;
}
