// SPDX-License-Identifier: GPL-2.0
/* steplab compare: every later report against the first, per class and metric. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "lib/compare.h"
#include "lib/opt.h"
#include "lib/step.h"
#include "report/report.h"

struct compare_cmd {
	char **files;
	int nfiles;
	const char **metrics;	/* NULL-terminated, or NULL for all */
	int nmetrics;
	bool json;
	bool force;
	json_t **docs;
};

static void compare_usage(FILE *f)
{
	fprintf(f,
"usage: steplab compare A.json B.json [C.json ...] [--json] [--force] [--metric NAME]...\n\n"
"Compares every later report against the first, for each class and metric\n"
"both hold: the medians, their difference (B - A) and ratio (B / A), and\n"
"the Hodges-Lehmann shift of B against A with its 95%% interval.  The\n"
"interval comes exactly from the reports' histograms (Mann-Whitney, normal\n"
"approximation); past %d distinct value pairs, or when a histogram was\n"
"truncated, from a fixed-seed percentile bootstrap of the difference of\n"
"medians (%d replicates).  The method column says which.  Rows under\n"
"'CLASS/cr' compare the completion run, the last KVM_RUN of an MMIO step.\n"
"Reports are compared when their identities (board, core kind, KVM mode,\n"
"kernel build, programs, re-entry paths, counting domain) differ in at most\n"
"one thing, which the output names; others measure different things and\n"
"stand side by side: medians only, no difference, no shift.\n\n"
"  --json           print a steplab-compare JSON document instead of the table\n"
"  --force          compare reports of different boards, schema majors or\n"
"                   identities anyway (marked FORCED)\n"
"  --metric NAME    only this metric (repeatable); default: all common ones\n"
"  -h, --help       this text\n\n"
"Exit status: 0 compared, 2 bad command line, unreadable or invalid report,\n"
"or reports that should not be compared (without --force).\n",
		COMPARE_MAX_PAIRS, COMPARE_REPLICATES);
}

static int compare_parse(int argc, char **argv, struct compare_cmd *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "force", no_argument, NULL, 'f' },
		{ "metric", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	int c;

	o->metrics = calloc(argc + 1, sizeof(*o->metrics));
	o->files = calloc(argc + 1, sizeof(*o->files));
	if (!o->metrics || !o->files) {
		fprintf(stderr, "steplab compare: out of memory\n");
		return EXIT_ERROR;
	}
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":m:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j': o->json = true; break;
		case 'f': o->force = true; break;
		case 'm': o->metrics[o->nmetrics++] = optarg; break;
		case 'h': compare_usage(stdout); return -1;
		default:
			opt_bad("compare", c, argv);
			return EXIT_USAGE;
		}
	}
	while (optind < argc)
		o->files[o->nfiles++] = argv[optind++];
	if (o->nfiles < 2) {
		opt_usage("compare", "give two or more reports, the reference first");
		return EXIT_USAGE;
	}
	if (!o->nmetrics) {
		free(o->metrics);
		o->metrics = NULL;
	}
	return 0;
}

static int compare_load(const char *path, json_t **doc)
{
	char err[512];

	if (report_open(path, doc))
		return -EINVAL;
	if (compare_report_check(*doc, err, sizeof(err))) {
		fprintf(stderr, "%s:%s\n", path, err);
		json_decref(*doc);
		*doc = NULL;
		return -EINVAL;
	}
	return 0;
}

static bool doc_has_metric(const json_t *doc, const char *name)
{
	const json_t *cls;
	size_t i;

	json_array_foreach(json_object_get(doc, "classes"), i, cls)
		if (json_object_get(json_object_get(cls, "metrics"), name) ||
		    json_object_get(json_object_get(cls, "completion_run"), name))
			return true;
	return false;
}

/* A metric is known when steplab measures it or a given report holds it. */
static int compare_check_metrics(const struct compare_cmd *o)
{
	int i, k;
	unsigned int m;

	for (i = 0; i < o->nmetrics; i++) {
		bool known = false;

		for (m = 0; m < M_MAX && !known; m++)
			known = !strcmp(o->metrics[i], metric_name(m));
		for (k = 0; k < o->nfiles && !known; k++)
			known = doc_has_metric(o->docs[k], o->metrics[i]);
		if (!known) {
			fprintf(stderr, "steplab compare: --metric '%s': no such metric "
				"(host_instructions, guest_instructions, entries, kvm_exits, "
				"host_irqs, runs, cycles, time_ns)\n", o->metrics[i]);
			return -EINVAL;
		}
	}
	return 0;
}

static const char *ctx_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(json_object_get(doc, "context"), key));

	return s ? s : "";
}

static json_t *source_json(const char *file, const json_t *doc)
{
	return json_pack("{ss ss ss ss ss}", "file", file, "board", ctx_str(doc, "board"),
			 "kernel_release", ctx_str(doc, "kernel_release"),
			 "kernel_version", ctx_str(doc, "kernel_version"),
			 "measured_on", ctx_str(doc, "measured_on"));
}

/* Medians only: figures of different configurations are no shift. */
static void rows_aside(json_t *rows)
{
	static const char *const drop[] = { "diff", "ratio", "hl_shift", "ci_low", "ci_high" };
	json_t *r;
	size_t i, k;

	json_array_foreach(rows, i, r) {
		for (k = 0; k < sizeof(drop) / sizeof(drop[0]); k++)
			json_object_del(r, drop[k]);
		json_object_set_new(r, "method", json_string("side-by-side"));
	}
}

/* One comparison of file @i against the reference; NULL after one error line. */
static json_t *comparison_build(const struct compare_cmd *o, int i)
{
	json_t *cmp = source_json(o->files[i], o->docs[i]), *rows = json_array();
	char why[1024], err[512];
	bool forced = false, aside = false;

	if (!cmp || !rows) {
		fprintf(stderr, "steplab compare: out of memory\n");
		goto err_put;
	}
	if (compare_check_compatible(o->docs[0], o->docs[i], why, sizeof(why))) {
		/* other configurations: their medians beside the reference's, no shift */
		aside = !o->force && !strncmp(why, "identity:", 9);
		if (aside) {
			json_object_set_new(cmp, "side_by_side_because", json_string(why));
		} else if (!o->force) {
			fprintf(stderr, "steplab compare: %s against %s: %s; --force compares anyway\n",
				o->files[i], o->files[0], why);
			goto err_put;
		} else {
			forced = true;
			json_object_set_new(cmp, "forced_because", json_string(why));
		}
	}
	json_object_set_new(cmp, "forced", json_boolean(forced));
	json_object_set_new(cmp, "compared", json_string(aside ? "nothing: side by side" :
					 compare_what(o->docs[0], o->docs[i])));
	if (compare_rows_build(o->docs[0], o->docs[i], o->metrics, NULL, rows,
			       err, sizeof(err))) {
		fprintf(stderr, "steplab compare: %s against %s: %s\n", o->files[i],
			o->files[0], err);
		goto err_put;
	}
	if (aside)
		rows_aside(rows);
	json_object_set_new(cmp, "rows", rows);
	return cmp;

err_put:
	json_decref(rows);
	json_decref(cmp);
	return NULL;
}

static json_t *result_build(const struct compare_cmd *o)
{
	json_t *doc, *list = json_array(), *cmp;
	int i;

	doc = json_pack("{ss ss so s{sf sI si sI} so}",
			"schema", COMPARE_SCHEMA, "schema_version", COMPARE_VERSION,
			"reference", source_json(o->files[0], o->docs[0]),
			"intervals", "confidence", 0.95,
			"hodges_lehmann_max_pairs", (json_int_t)COMPARE_MAX_PAIRS,
			"bootstrap_replicates", COMPARE_REPLICATES,
			"bootstrap_seed", (json_int_t)COMPARE_SEED,
			"comparisons", list);
	if (!doc) {
		fprintf(stderr, "steplab compare: out of memory\n");
		return NULL;
	}
	for (i = 1; i < o->nfiles; i++) {
		cmp = comparison_build(o, i);
		if (!cmp) {
			json_decref(doc);
			return NULL;
		}
		json_array_append_new(list, cmp);
	}
	return doc;
}

/* Whole numbers as such, half-integers (an even-sized median) with .1f. */
static const char *num_fmt(char *buf, size_t len, const json_t *v)
{
	double x = json_number_value(v);

	if (!json_is_number(v))
		snprintf(buf, len, "-");
	else if (x == floor(x) && fabs(x) < 1e15)
		snprintf(buf, len, "%.0f", x);
	else
		snprintf(buf, len, "%.1f", x);
	return buf;
}

static void source_print(const char *what, const json_t *s)
{
	printf("%-10s %s\n%-10s board %s, measured on %s, kernel %s %s\n", what,
	       json_string_value(json_object_get(s, "file")), "",
	       json_string_value(json_object_get(s, "board")),
	       json_string_value(json_object_get(s, "measured_on")),
	       json_string_value(json_object_get(s, "kernel_release")),
	       json_string_value(json_object_get(s, "kernel_version")));
}

static void row_print(const json_t *r, bool *cr, bool *none)
{
	char cls[32], ma[24], mb[24], diff[24], ratio[16], hl[24], lo[24], hi[24], shift[80];
	const json_t *rv = json_object_get(r, "ratio");
	const char *method = json_string_value(json_object_get(r, "method"));

	snprintf(cls, sizeof(cls), "%s%s", json_string_value(json_object_get(r, "class")),
		 strcmp(json_string_value(json_object_get(r, "scope")), "steps") ? "/cr" : "");
	*cr |= strchr(cls, '/') != NULL;
	*none |= !strcmp(method, "none");
	if (json_is_number(rv))
		snprintf(ratio, sizeof(ratio), "%.3f", json_number_value(rv));
	else
		snprintf(ratio, sizeof(ratio), "-");
	if (json_is_number(json_object_get(r, "hl_shift")))
		snprintf(shift, sizeof(shift), "%s [%s, %s]",
			 num_fmt(hl, sizeof(hl), json_object_get(r, "hl_shift")),
			 num_fmt(lo, sizeof(lo), json_object_get(r, "ci_low")),
			 num_fmt(hi, sizeof(hi), json_object_get(r, "ci_high")));
	else
		snprintf(shift, sizeof(shift), "-");
	printf("%-13s %-18s %10s %10s %9s %6s  %-26s %s\n", cls,
	       json_string_value(json_object_get(r, "metric")),
	       num_fmt(ma, sizeof(ma), json_object_get(r, "median_a")),
	       num_fmt(mb, sizeof(mb), json_object_get(r, "median_b")),
	       num_fmt(diff, sizeof(diff), json_object_get(r, "diff")), ratio, shift, method);
}

static void table_print(const json_t *doc)
{
	const json_t *cmp, *r;
	bool cr = false, none = false;
	size_t i, j;

	source_print("reference", json_object_get(doc, "reference"));
	json_array_foreach(json_object_get(doc, "comparisons"), i, cmp) {
		putchar('\n');
		source_print("compared", cmp);
		printf("%-10s %s\n", "comparing",
		       json_string_value(json_object_get(cmp, "compared")));
		if (json_object_get(cmp, "side_by_side_because"))
			printf("SIDE BY SIDE, not compared: %s\n",
			       json_string_value(json_object_get(cmp, "side_by_side_because")));
		if (json_is_true(json_object_get(cmp, "forced")))
			printf("FORCED: %s\n", json_string_value(json_object_get(cmp, "forced_because")));
		printf("%-13s %-18s %10s %10s %9s %6s  %-26s %s\n", "class", "metric", "median A",
		       "median B", "diff", "ratio", "HL shift [95% interval]", "method");
		json_array_foreach(json_object_get(cmp, "rows"), j, r)
			row_print(r, &cr, &none);
	}
	if (cr)
		printf("\nCLASS/cr: the completion run, the last KVM_RUN of a step of several.\n");
	if (none)
		printf("%smethod none: a report without histograms; medians only.\n",
		       cr ? "" : "\n");
}

static void compare_cmd_free(struct compare_cmd *o)
{
	int i;

	for (i = 0; o->docs && i < o->nfiles; i++)
		json_decref(o->docs[i]);
	free(o->docs);
	free(o->files);
	free(o->metrics);
}

int cmd_compare(int argc, char **argv)
{
	struct compare_cmd o = { 0 };
	json_t *doc;
	int ret, i;

	ret = compare_parse(argc, argv, &o);
	if (ret) {
		compare_cmd_free(&o);
		return ret < 0 ? EXIT_OK : ret;
	}
	ret = EXIT_USAGE;
	o.docs = calloc(o.nfiles, sizeof(*o.docs));
	if (!o.docs) {
		fprintf(stderr, "steplab compare: out of memory\n");
		ret = EXIT_ERROR;
		goto out;
	}
	for (i = 0; i < o.nfiles; i++)
		if (compare_load(o.files[i], &o.docs[i]))
			goto out;
	if (compare_check_metrics(&o))
		goto out;
	doc = result_build(&o);
	if (!doc)
		goto out;
	if (o.json) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_ENSURE_ASCII | JSON_REAL_PRECISION(10));
		putchar('\n');
	} else {
		table_print(doc);
	}
	json_decref(doc);
	ret = fflush(stdout) ? EXIT_ERROR : EXIT_OK;
out:
	compare_cmd_free(&o);
	return ret;
}
