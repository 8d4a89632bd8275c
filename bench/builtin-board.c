// SPDX-License-Identifier: GPL-2.0
/*
 * steplab board: board files, checked without touching the board; the
 * board's power and reset lines.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "builtin.h"
#include "lib/board.h"
#include "lib/gpio.h"
#include "lib/opt.h"

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

#define OFF_MS_DEFAULT	1000	/* a cycle's off time: supplies drain */
#define OFF_MS_MAX	600000
#define RESET_MIN_MS	10	/* the shortest reset pulse */

static void sleep_ms(uint32_t ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * "power on: steplab-sim power (/dev/gpiochip1 offset 1)THEN", or for a
 * line by offset "... 9030000.pl061 line 3 (/dev/gpiochip0)THEN".
 */
static void line_print(const char *action, const struct gpio_line *l, const char *then)
{
	const char *low = l->active_low ? ", active low" : "";

	if (l->name[0])
		printf("%s: %s %s (%s offset %u%s)%s\n", action, l->chip, l->name, l->path,
		       l->offset, low, then);
	else
		printf("%s: %s line %u (%s%s)%s\n", action, l->chip, l->offset, l->path, low, then);
	fflush(stdout);
}

static int power_open(const struct board *b, enum board_gpio_role r, bool value,
		      struct gpio_line *l)
{
	const struct board_gpio *g = board_gpio_get(b, r);
	char consumer[32], err[512];
	int ret;

	snprintf(consumer, sizeof(consumer), "steplab-%s", board_gpio_role_name(r));
	ret = gpio_line_open(l, g, consumer, value, err, sizeof(err));
	if (ret)
		fprintf(stderr, "steplab board power: %s line: %s\n", board_gpio_role_name(r), err);
	return ret;
}

static int power_failed(const char *what, const struct gpio_line *l, int ret)
{
	fprintf(stderr, "steplab board power: %s: %s %s offset %u: %s\n", what, l->chip,
		l->path, l->offset, strerror(-ret));
	return EXIT_ERROR;
}

/* off, off_ms, on, settle, then the reset pulse when the board has a line. */
static int power_cycle(struct gpio_line *power, struct gpio_line *reset, uint32_t off_ms)
{
	uint32_t pulse;
	char then[64];
	int ret;

	if (off_ms < power->settle_ms)
		off_ms = power->settle_ms;
	snprintf(then, sizeof(then), ", off for %u ms", off_ms);
	line_print("power off", power, then);
	sleep_ms(off_ms);
	ret = gpio_line_set(power, true);
	if (ret)
		return power_failed("power on", power, ret);
	snprintf(then, sizeof(then), ", settling %u ms", power->settle_ms);
	line_print("power on", power, then);
	gpio_line_settle(power);
	if (!reset->req)
		return EXIT_OK;
	pulse = reset->settle_ms > RESET_MIN_MS ? reset->settle_ms : RESET_MIN_MS;
	ret = gpio_line_set(reset, true);
	if (ret)
		return power_failed("reset", reset, ret);
	sleep_ms(pulse);
	ret = gpio_line_set(reset, false);
	if (ret)
		return power_failed("reset", reset, ret);
	snprintf(then, sizeof(then), ", asserted %u ms, settling %u ms", pulse, reset->settle_ms);
	line_print("reset pulse", reset, then);
	gpio_line_settle(reset);
	return EXIT_OK;
}

static int power_parse(int argc, char **argv, const char **action, const char **file,
		       long *off_ms)
{
	uint64_t ms;
	int i;

	*action = *file = NULL;
	*off_ms = -1;
	for (i = 0; i < argc; i++) {
		bool board = !strcmp(argv[i], "--board") || !strcmp(argv[i], "-b");

		if (board || !strcmp(argv[i], "--off-ms")) {
			if (i + 1 == argc) {
				fprintf(stderr, "steplab board power: %s needs a value\n", argv[i]);
				return -EINVAL;
			}
			if (board) {
				*file = argv[++i];
				continue;
			}
			if (opt_num("board power", "--off-ms", argv[++i], 0, OFF_MS_MAX, &ms))
				return -EINVAL;
			*off_ms = (long)ms;
		} else if (!*action && argv[i][0] != '-') {
			*action = argv[i];
		} else {
			fprintf(stderr, "steplab board power: unexpected argument '%s'\n", argv[i]);
			return -EINVAL;
		}
	}
	if (!*action || (strcmp(*action, "on") && strcmp(*action, "off") &&
			 strcmp(*action, "cycle"))) {
		fprintf(stderr, "steplab board power: want on, off or cycle%s%s%s\n",
			*action ? " (not '" : "", *action ? *action : "", *action ? "')" : "");
		return -EINVAL;
	}
	if (!*file) {
		fprintf(stderr, "steplab board power: --board FILE is needed\n");
		return -EINVAL;
	}
	if (*off_ms >= 0 && strcmp(*action, "cycle")) {
		fprintf(stderr, "steplab board power: --off-ms is for cycle only\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Lines are requested before anything changes, reset first: a line that
 * cannot be had leaves the power as it was.
 */
static int board_power(int argc, char **argv)
{
	struct gpio_line power, reset = { .req = NULL };
	const char *action, *file;
	struct board b;
	char err[512];
	long off_ms;
	bool on;
	int ret;

	if (power_parse(argc, argv, &action, &file, &off_ms))
		return EXIT_USAGE;
	if (board_load(file, &b, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return EXIT_USAGE;
	}
	if (!board_gpio_get(&b, BOARD_GPIO_POWER)) {
		fprintf(stderr, "steplab board power: board %s (%s) has no power line "
			"(a gpio entry with role power)\n", b.name, file);
		return EXIT_USAGE;
	}
	on = !strcmp(action, "on");
	if (!strcmp(action, "cycle") && board_gpio_get(&b, BOARD_GPIO_RESET) &&
	    power_open(&b, BOARD_GPIO_RESET, false, &reset))
		return EXIT_USAGE;
	if (power_open(&b, BOARD_GPIO_POWER, on, &power)) {
		gpio_line_close(&reset);
		return EXIT_USAGE;
	}
	if (!strcmp(action, "cycle")) {
		ret = power_cycle(&power, &reset, off_ms < 0 ? OFF_MS_DEFAULT : (uint32_t)off_ms);
	} else {
		char then[32];

		snprintf(then, sizeof(then), ", settling %u ms", power.settle_ms);
		line_print(on ? "power on" : "power off", &power, then);
		gpio_line_settle(&power);
		ret = EXIT_OK;
	}
	gpio_line_close(&power);
	gpio_line_close(&reset);
	return ret;
}

/* One row per subcommand. */
static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
} subcommands[] = {
	{ "validate", board_validate_files, "validate BOARD...   check board files, one line each" },
	{ "schema",   board_schema_print,   "schema              print the board file's JSON Schema" },
	{ "power",    board_power,
	  "power on|off|cycle --board FILE [--off-ms N]\n"
	  "                            drive the board's power line; cycle: off for N ms\n"
	  "                            (default 1000), on, then a reset pulse if the board\n"
	  "                            has a reset line" },
};

#define NSUBCOMMANDS (sizeof(subcommands) / sizeof(subcommands[0]))

static void usage(FILE *f)
{
	unsigned int i;

	for (i = 0; i < NSUBCOMMANDS; i++)
		fprintf(f, "%s steplab board %s\n", i ? "      " : "usage:", subcommands[i].usage);
	fprintf(f, "\nEach bad board file gets one line on stderr, FILE:FIELD: REASON, and the\n"
		"exit status is 2. The format is results/schema/board.schema.json; boards/\n"
		"holds the examples.\n\n"
		"power prints one line per action (power off, power on, reset pulse) and\n"
		"waits each line's settle_ms after changing it. A board without a power\n"
		"line, or a line that cannot be requested (no such chip or line, held by\n"
		"another user), gets one line on stderr and exit status 2, before any line\n"
		"changes; a change that fails afterwards, 3. The lines are released on\n"
		"exit: most GPIO controllers keep driving the last value, gpio-sim goes\n"
		"back to its pull.\n");
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
		opt_usage("board", "no subcommand given");
		return EXIT_USAGE;
	}
	for (i = 0; i < NSUBCOMMANDS; i++)
		if (!strcmp(argv[1], subcommands[i].name))
			return subcommands[i].fn(argc - 2, argv + 2);
	opt_usage("board", "'%s' is not a board subcommand", argv[1]);
	return EXIT_USAGE;
}
