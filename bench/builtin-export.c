// SPDX-License-Identifier: GPL-2.0
/* steplab export: reports as LAVA lines, KCIDB v5, Bencher BMF or JUnit XML. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "builtin.h"
#include "export/export.h"
#include "lib/file.h"
#include "lib/opt.h"
#include "report/report.h"

struct export_cmd {
	int format;
	const char *output;
	struct export_opts opts;
	char **files;
	int nfiles;
	json_t **docs;
};

static void export_usage(FILE *f)
{
	fprintf(f,
"usage: steplab export --format lava|kcidb|bmf|junit [-o FILE] [--origin NAME]\n"
"                      [--build-id ID] REPORT...\n\n"
"Writes the reports' checks in a format a lab or dashboard reads; several\n"
"reports make one document.  Per report (named after its board, then its\n"
"kernel, then its position, until the names differ):\n\n"
"  complete, conformance, design      the run as a whole\n"
"  CLASS.conformance, CLASS.design    per class (design: emulated classes)\n"
"  CLASS.METRIC.median                each metric's median, with p10/p90\n"
"                                     (min/max when absent) as its bounds\n\n"
"A design verdict of flag-based or early-exit passes, buggy or mixed fails,\n"
"unknown is unknown, none skips.  A metric whose counter was unavailable\n"
"is skipped.\n\n"
"  lava    lava-test-case NAME --result pass|fail|skip|unknown\n"
"          [--measurement V --units U], NAME steplab.BOARD[.CLASS].CHECK\n"
"  kcidb   KCIDB v5 JSON: one test per check, path steplab[.CLASS].CHECK,\n"
"          status PASS|FAIL|SKIP|ERROR, DONE with a number for a median\n"
"  bmf     Bencher Metric Format: benchmark steplab.BOARD.CLASS, measure\n"
"          the metric in kebab case, value the median, lower/upper p10/p90\n"
"  junit   JUnit XML: a testsuite per report, a testcase per check\n\n"
"  --format NAME    the format (required)\n"
"  -o, --output FILE  write FILE atomically instead of standard output\n"
"  --origin NAME    KCIDB origin, [a-z0-9_]+ (default %s)\n"
"  --build-id ID    KCIDB build_id, ORIGIN:ID (default ORIGIN:KERNEL_RELEASE)\n"
"  -h, --help       this text\n\n"
"Exit status: 0 written, 2 bad command line or invalid report (nothing is\n"
"written), 3 the output could not be written.\n", EXPORT_ORIGIN_DEFAULT);
}

static int export_parse(int argc, char **argv, struct export_cmd *o)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "origin", required_argument, NULL, 'O' },
		{ "build-id", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *fmt = NULL;
	char err[256];
	int c;

	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': fmt = optarg; break;
		case 'o': o->output = optarg; break;
		case 'O': o->opts.origin = optarg; break;
		case 'b': o->opts.build_id = optarg; break;
		case 'h': export_usage(stdout); return -1;
		default:
			opt_bad("export", c, argv);
			return EXIT_USAGE;
		}
	}
	if (!fmt) {
		fprintf(stderr, "steplab export: --format is required: lava, kcidb, bmf or junit\n");
		return EXIT_USAGE;
	}
	o->format = export_format_parse(fmt);
	if (o->format < 0) {
		fprintf(stderr, "steplab export: --format '%s': not lava, kcidb, bmf or junit\n", fmt);
		return EXIT_USAGE;
	}
	if (export_opts_check(&o->opts, err, sizeof(err))) {
		fprintf(stderr, "steplab export: %s\n", err);
		return EXIT_USAGE;
	}
	o->files = argv + optind;
	o->nfiles = argc - optind;
	if (!o->nfiles) {
		opt_usage("export", "give one or more reports");
		return EXIT_USAGE;
	}
	return 0;
}

static int output_write(const char *path, const char *buf, size_t len)
{
	char err[512];
	int ret = file_write_atomic(path, buf, len, err, sizeof(err));

	if (ret)
		fprintf(stderr, "steplab export: %s\n", err);
	return ret;
}

/* The whole document in memory first, so that a failure leaves nothing. */
static int export_run_cmd(const struct export_cmd *o)
{
	char err[256], *buf = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	mem = open_memstream(&buf, &len);
	if (!mem) {
		fprintf(stderr, "steplab export: out of memory\n");
		return EXIT_ERROR;
	}
	ret = export_write(o->format, &o->opts, o->docs, o->nfiles, mem, err, sizeof(err));
	if (fclose(mem) && !ret)
		ret = -EIO;
	if (ret) {
		fprintf(stderr, "steplab export: %s\n", err);
		free(buf);
		return ret == -EINVAL ? EXIT_USAGE : EXIT_ERROR;
	}
	if (o->output)
		ret = output_write(o->output, buf, len);
	else if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
		ret = -EIO;
	if (ret && !o->output)
		fprintf(stderr, "steplab export: standard output: write failed\n");
	free(buf);
	return ret ? EXIT_ERROR : EXIT_OK;
}

int cmd_export(int argc, char **argv)
{
	struct export_cmd o = { 0 };
	int ret, i;

	ret = export_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	o.docs = calloc(o.nfiles, sizeof(*o.docs));
	if (!o.docs) {
		fprintf(stderr, "steplab export: out of memory\n");
		return EXIT_ERROR;
	}
	ret = EXIT_USAGE;
	for (i = 0; i < o.nfiles; i++)
		if (report_open(o.files[i], &o.docs[i]))
			goto out;
	ret = export_run_cmd(&o);
out:
	for (i = 0; i < o.nfiles; i++)
		json_decref(o.docs[i]);
	free(o.docs);
	return ret;
}
