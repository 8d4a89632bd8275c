// SPDX-License-Identifier: GPL-2.0
/* steplab catalog | report | baseline: commands that need no KVM. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "lib/catalog.h"
#include "lib/opt.h"
#include "lib/program.h"
#include "report/baseline.h"
#include "report/report.h"
#include "report/summary.h"

static bool want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

int cmd_catalog(int argc, char **argv)
{
	unsigned int i, k;

	if (want_help(argc, argv) || argc > 1) {
		printf("usage: steplab catalog\nLists the catalog's rows (the mix accepts "
		       "class names, 'mmio', and row names) and the fixed programs.\n");
		return argc > 1 && !want_help(argc, argv) ? EXIT_USAGE : EXIT_OK;
	}
	printf("%-18s %-11s %-10s %-26s %s\n", "row", "class", "effect", "instruction", "encoding");
	for (i = 0; i < catalog_size; i++) {
		const struct catalog_entry *e = &catalog[i];

		printf("%-18s %-11s %-10s %-26s", e->name, class_name(e->class),
		       effect_name(e->effect), e->text);
		for (k = 0; k < e->nwords; k++)
			printf(" %08" PRIx32, e->words[k]);
		putchar('\n');
	}
	printf("\nfixed programs:\n");
	for (i = 0; i < fixed_programs_count; i++)
		printf("  %-10s %s\n", fixed_programs[i].name, fixed_programs[i].desc);
	return EXIT_OK;
}

static int report_validate_files(int argc, char **argv)
{
	char err[512];
	json_t *doc;
	int i, bad = 0;

	if (argc < 1) {
		fprintf(stderr, "steplab report validate: give one or more report files\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (report_load(argv[i], &doc, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			bad++;
			continue;
		}
		if (report_validate(doc, err, sizeof(err))) {
			fprintf(stderr, "%s:%s\n", argv[i], err);
			bad++;
		} else {
			printf("%s: valid %s %s\n", argv[i], REPORT_SCHEMA,
			       json_string_value(json_object_get(doc, "schema_version")));
		}
		json_decref(doc);
	}
	return bad ? EXIT_USAGE : EXIT_OK;
}

int cmd_report(int argc, char **argv)
{
	json_t *doc;

	if (argc < 2 || want_help(argc, argv)) {
		printf("usage: steplab report validate REPORT...\n"
		       "       steplab report summary REPORT\n"
		       "       steplab report schema      (prints the JSON Schema)\n");
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	if (!strcmp(argv[1], "validate"))
		return report_validate_files(argc - 2, argv + 2);
	if (!strcmp(argv[1], "schema")) {
		fputs(report_schema_text(), stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "summary") && argc == 3) {
		if (report_open(argv[2], &doc))
			return EXIT_USAGE;
		report_print_summary(doc, stdout);
		json_decref(doc);
		return EXIT_OK;
	}
	opt_usage("report", "unknown use");
	return EXIT_USAGE;
}

static int baseline_make_cmd(const char *report, const char *out)
{
	char err[512];
	json_t *doc, *base;
	int ret;

	if (report_open(report, &doc))
		return EXIT_USAGE;
	base = baseline_make(doc, err, sizeof(err));
	json_decref(doc);
	if (!base) {
		fprintf(stderr, "%s:%s\n", report, err);
		return EXIT_USAGE;
	}
	ret = report_write(out, base, err, sizeof(err));
	json_decref(base);
	if (ret) {
		fprintf(stderr, "steplab baseline: %s\n", err);
		return EXIT_ERROR;
	}
	return EXIT_OK;
}

static int baseline_check_cmd(const char *path, const char *report,
			      const struct baseline_opts *o)
{
	json_t *doc, *base;
	json_error_t je;
	char err[512];
	int bad, i;

	base = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!base) {
		fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
		return EXIT_USAGE;
	}
	if (report_open(report, &doc)) {
		json_decref(base);
		return EXIT_USAGE;
	}
	bad = baseline_check_opts(base, doc, stdout, o, err, sizeof(err));
	json_decref(doc);
	json_decref(base);
	if (bad == -ESRCH) {
		printf("%s: skip: %s\n", path, err);
		return EXIT_SKIP;
	}
	if (bad < 0) {
		fprintf(stderr, "%s:%s\n", path, err);
		return EXIT_USAGE;
	}
	printf("%s: %d mismatch%s", path, bad, bad == 1 ? "" : "es");
	if (o->other_build)
		printf(" (another build: host_instructions not checked)");
	for (i = 0; o->ignore && o->ignore[i]; i++)
		printf("%s%s", i ? ", " : " (not checked: ", o->ignore[i]);
	printf("%s\n", o->ignore && o->ignore[0] ? ")" : "");
	return bad ? EXIT_NONCONFORMING : EXIT_OK;
}

static int baseline_spread_cmd(const char *path, int n, char **files)
{
	json_t *base, **docs = calloc(n, sizeof(*docs));
	json_error_t je;
	char err[768];
	int i, ret = EXIT_USAGE;

	base = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!base) {
		fprintf(stderr, "%s:%d: %s\n", path, je.line, je.text);
		free(docs);
		return EXIT_USAGE;
	}
	for (i = 0; docs && i < n; i++)
		if (report_open(files[i], &docs[i]))
			goto out;
	if (!docs || baseline_spread(base, docs, n, (const char *const *)files, err, sizeof(err))) {
		fprintf(stderr, "steplab baseline: %s:%s\n", path, docs ? err : " out of memory");
		goto out;
	}
	ret = report_write(path, base, err, sizeof(err)) ? EXIT_ERROR : EXIT_OK;
	if (ret)
		fprintf(stderr, "steplab baseline: %s\n", err);
out:
	for (i = 0; docs && i < n; i++)
		json_decref(docs[i]);
	free(docs);
	json_decref(base);
	return ret;
}

static int baseline_usage(int argc, char **argv)
{
	printf("usage: steplab baseline make REPORT BASELINE-OUT\n"
	       "       steplab baseline check [--min-share F] [--ignore METRIC]... [--other-build]\n"
	       "                              BASELINE REPORT\n"
	       "       steplab baseline spread BASELINE REPORT...\n"
	       "A baseline holds the exact per-class modes of one board and kernel\n"
	       "build; check exits 0 when they match, 1 when not, 4 when the\n"
	       "baseline is for another board or kernel.  --ignore leaves a metric\n"
	       "unchecked; --other-build takes a baseline of another build of the\n"
	       "same kernel, prints what differs and checks only the modes that do\n"
	       "not depend on the build (all but host_instructions).  spread records\n"
	       "in the baseline how far repeated boots of its kernel (the reports)\n"
	       "put each class's host-instruction mode apart (boot_spread), the noise\n"
	       "the dashboard's --baselines then looks past.\n");
	return want_help(argc, argv) ? EXIT_OK : EXIT_USAGE;
}

int cmd_baseline(int argc, char **argv)
{
	struct baseline_opts o = { .min_share = -1 };
	const char *ignore[8] = { NULL };
	int i, n = 0;

	if (argc == 4 && !strcmp(argv[1], "make"))
		return baseline_make_cmd(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "spread"))
		return baseline_spread_cmd(argv[2], argc - 3, argv + 3);
	if (argc < 4 || strcmp(argv[1], "check") || want_help(argc, argv))
		return baseline_usage(argc, argv);
	for (i = 2; i < argc - 2; i++) {
		char *end;

		if (!strcmp(argv[i], "--other-build")) {
			o.other_build = true;
		} else if (!strcmp(argv[i], "--ignore") && i + 1 < argc - 2 &&
			   n + 1 < (int)(sizeof(ignore) / sizeof(ignore[0]))) {
			ignore[n++] = argv[++i];
		} else if (!strcmp(argv[i], "--min-share") && i + 1 < argc - 2) {
			o.min_share = strtod(argv[++i], &end);
			if (*end || end == argv[i] || o.min_share < 0 || o.min_share > 1) {
				fprintf(stderr, "steplab baseline: --min-share '%s': want a number from 0 to 1\n",
					argv[i]);
				return EXIT_USAGE;
			}
		} else {
			opt_usage("baseline", "check: unknown use of '%s'", argv[i]);
			return EXIT_USAGE;
		}
	}
	o.ignore = ignore;
	return baseline_check_cmd(argv[argc - 2], argv[argc - 1], &o);
}
