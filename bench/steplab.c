// SPDX-License-Identifier: GPL-2.0
/* steplab: single-step a KVM guest, judge and count every step. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "run",      cmd_run,      "step guest programs on this host's KVM, write a report" },
	{ "checklist", cmd_checklist, "bring-up checklist for a board: pass, fail or skip per item" },
	{ "stress",   cmd_stress,   "one VM per CPU, long seeded mixes, an optional interrupt storm" },
	{ "catalog",  cmd_catalog,  "list the instruction catalog and the fixed programs" },
	{ "report",   cmd_report,   "validate or summarise reports" },
	{ "baseline", cmd_baseline, "make a baseline from a report, or check a report against one" },
	{ "compare",  cmd_compare,  "compare reports: differences and intervals per class and metric" },
	{ "board",    cmd_board,    "validate board files" },
	{ "topology", cmd_topology, "show CPU kinds, PMUs and the per-kind plan" },
	{ "dashboard", cmd_dashboard, "build a static HTML dashboard from a directory of reports" },
	{ "export",   cmd_export,   "export reports for LAVA, KCIDB, Bencher or JUnit" },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	unsigned int i;

	fprintf(f, "usage: steplab [--version] [--help] COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'steplab COMMAND --help' describes each command.\n");
}

int main(int argc, char **argv)
{
	unsigned int i;

	if (argc < 2) {
		fprintf(stderr, "steplab: no command given (see 'steplab --help')\n");
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("steplab %s (%s)\n", STEPLAB_VERSION, STEPLAB_GIT);
		return EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "steplab: '%s' is not a command (see 'steplab --help')\n", argv[1]);
	return EXIT_USAGE;
}
