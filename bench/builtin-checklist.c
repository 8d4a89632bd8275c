// SPDX-License-Identifier: GPL-2.0
/* steplab checklist: the bring-up items for a board, as a table or JSON. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "host/checklist.h"
#include "lib/opt.h"
#include "report/report.h"

static void checklist_usage(FILE *f)
{
	fprintf(f,
"usage: steplab checklist --board FILE [--json] [--output FILE]\n"
"Runs the bring-up items for the board in order and prints one row each:\n"
"pass, fail or skip, with the reason.  Exit status: 0 nothing failed,\n"
"1 an item failed, 2 bad input.  --json prints JSON instead of the table;\n"
"--output FILE also writes the JSON to FILE (atomically).\n");
}

static json_t *checklist_json(const struct board *b, const struct ck_result *r, unsigned int n,
			      unsigned int fails)
{
	json_t *items = json_array();
	unsigned int i;

	for (i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{ss ss ss ss}", "item", r[i].name,
					"what", r[i].what, "status", ck_status_name(r[i].status),
					"reason", r[i].reason));
	return json_pack("{ss ss ss ss so sb}", "schema", "steplab-checklist",
			 "schema_version", "1.0", "board", b->name, "board_file", b->path,
			 "items", items, "ready", fails == 0);
}

int cmd_checklist(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *path = NULL, *output = NULL;
	json_t *doc;
	struct ck_result *res;
	struct board b;
	char err[512];
	unsigned int n, i, fails = 0;
	bool json = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":b:jo:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b': path = optarg; break;
		case 'j': json = true; break;
		case 'o': output = optarg; break;
		case 'h': checklist_usage(stdout); return EXIT_OK;
		default:
			opt_bad("checklist", c, argv);
			return EXIT_USAGE;
		}
	}
	if (!path || optind < argc) {
		opt_usage("checklist", "%s", path ? "unexpected argument" : "--board FILE is required");
		return EXIT_USAGE;
	}
	if (board_load(path, &b, err, sizeof(err))) {
		fprintf(stderr, "steplab checklist: %s\n", err);
		return EXIT_USAGE;
	}
	res = calloc(ck_count(), sizeof(*res));
	if (!res)
		return EXIT_ERROR;
	checklist_run(&b, res, &n);
	for (i = 0; i < n; i++)
		fails += res[i].status == CK_FAIL;
	doc = checklist_json(&b, res, n, fails);
	if (output && report_write(output, doc, err, sizeof(err))) {
		fprintf(stderr, "steplab checklist: %s\n", err);
		json_decref(doc);
		free(res);
		return EXIT_ERROR;
	}
	if (json) {
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_SORT_KEYS);
		putchar('\n');
	} else {
		printf("checklist for %s (%s)\n", b.name, b.path);
		for (i = 0; i < n; i++)
			printf("  %-18s %-4s  %s\n", res[i].name, ck_status_name(res[i].status),
			       res[i].reason);
		printf("%s: %u failed\n", fails ? "not ready" : "ready", fails);
	}
	json_decref(doc);
	free(res);
	return fails ? EXIT_NONCONFORMING : EXIT_OK;
}
