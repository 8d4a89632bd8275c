// SPDX-License-Identifier: GPL-2.0
/* steplab board: board files, checked without touching the board. */
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "cli.h"

static int board_validate_files(int argc, char **argv)
{
	struct board b;
	char err[512];
	int i, bad = 0;

	if (argc < 1) {
		fprintf(stderr, "steplab board validate: give one or more board files\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		if (board_load(argv[i], &b, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			bad++;
			continue;
		}
		printf("%s: valid board %s (%u core kind%s, %u gpio line%s)\n", argv[i], b.name,
		       b.ncores, b.ncores == 1 ? "" : "s", b.ngpio, b.ngpio == 1 ? "" : "s");
	}
	return bad ? EXIT_USAGE : EXIT_OK;
}

static int board_schema_print(int argc, char **argv)
{
	(void)argv;
	if (argc) {
		fprintf(stderr, "steplab board schema: takes no arguments\n");
		return EXIT_USAGE;
	}
	fputs(board_schema_text(), stdout);
	return EXIT_OK;
}

/* One row per subcommand; later ones (power) go here. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} subcommands[] = {
	{ "validate", board_validate_files, "validate BOARD...   check board files, one line each" },
	{ "schema",   board_schema_print,   "schema              print the board file's JSON Schema" },
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void usage(FILE *f)
{
	unsigned int i;

	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(f, "%s steplab board %s\n", i ? "      " : "usage:", subcommands[i].usage);
	fprintf(f, "\nEach bad board file gets one line on stderr, FILE:FIELD: REASON, and the\n"
		"exit status is 2. The format is results/schema/board.schema.json; boards/\n"
		"holds the examples.\n");
}

int cmd_board(int argc, char **argv)
{
	unsigned int i;
	int k;

	for (k = 1; k < argc; k++)
		if (!strcmp(argv[k], "--help") || !strcmp(argv[k], "-h")) {
			usage(stdout);
			return EXIT_OK;
		}
	if (argc < 2) {
		fprintf(stderr, "steplab board: no subcommand given (see 'steplab board --help')\n");
		return EXIT_USAGE;
	}
	for (i = 0; i < NSUBCOMMANDS; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 2, argv + 2);
	fprintf(stderr, "steplab board: '%s' is not a board subcommand (not yet, at least; "
		"see 'steplab board --help')\n", argv[1]);
	return EXIT_USAGE;
}
