// SPDX-License-Identifier: GPL-2.0
/*
 * GPIO lines and marks without hardware: the marks' schedule and count
 * (what tests/board/gpio.sh holds QEMU's trace to), the refusals of lines that
 * cannot be had, each with one line naming chip and line, and the report's
 * gpio object against the schema.  The lines themselves are driven on the
 * emulated board (tests/board/gpio.sh).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "host/engine.h"
#include "lib/gpio.h"
#include "report/report.h"
#include "tap.h"

/* The engine's loop, marks only: the start, after due steps, the end. */
static uint64_t marks_simulated(uint64_t steps, uint64_t planned, uint64_t every)
{
	uint64_t at = engine_marker_next(0, planned, every), n = 1, s;

	for (s = 1; s <= steps; s++)
		if (s == at) {
			n++;
			at = engine_marker_next(s, planned, every);
		}
	return n + 1;
}

static void test_schedule(void)
{
	uint64_t planned, every, steps;
	bool same = true;

	tap_eq_u64(engine_marker_count(17, 17, 5), 5,
		   "every (17 steps), --marker-every 5: start, after 5, 10, 15, end");
	tap_eq_u64(engine_marker_count(10, 10, 5), 3,
		   "10 steps, every 5: no mark in between at the last step, the end mark is there");
	tap_eq_u64(engine_marker_count(3000, 3000, 1), 3001, "3000 steps, every 1: 3001");
	tap_eq_u64(engine_marker_count(17, 17, 0), 2, "no --marker-every: 2 per program");
	tap_eq_u64(engine_marker_count(1, 1, 1), 2, "one step, every 1: 2");
	tap_eq_u64(engine_marker_count(12, 100, 5), 4, "stopped after 12 of 100, every 5: 4");
	tap_eq_u64(engine_marker_count(0, 100, 5), 2, "stopped before its first step: 2");
	tap_eq_u64(engine_marker_next(0, 17, 5), 5, "the first mark in between follows step 5");
	tap_eq_u64(engine_marker_next(15, 17, 5), UINT64_MAX, "none after step 15 of 17");
	tap_eq_u64(engine_marker_next(0, 17, 0), UINT64_MAX, "none without --marker-every");
	tap_eq_u64(engine_marker_next(UINT64_MAX / 2 + 1, UINT64_MAX, UINT64_MAX / 2 + 1),
		   UINT64_MAX, "no wrap past UINT64_MAX");
	for (planned = 1; planned <= 40; planned++)
		for (every = 0; every <= 12; every++)
			for (steps = 0; steps <= planned; steps++)
				if (same && marks_simulated(steps, planned, every) !=
					    engine_marker_count(steps, planned, every)) {
					same = false;
					tap_diag("differs at %llu of %llu steps, every %llu",
						 (unsigned long long)steps,
						 (unsigned long long)planned,
						 (unsigned long long)every);
				}
	tap_ok(same, "the count matches the engine's schedule for 1..40 steps, every 0..12");
}

static void test_refusals(void)
{
	struct board_gpio g = { .present = true, .chip = "no-such-chip", .line = "power",
				.offset = -1 };
	struct gpio_line l;
	struct marker m;
	struct board b;
	char err[512];
	int ret;

	ret = gpio_line_open(&l, NULL, "steplab-test", false, err, sizeof(err));
	tap_ok(ret == -EINVAL && strstr(err, "no GPIO line given"), "no line: -EINVAL (%s)", err);
	g.present = false;
	ret = gpio_line_open(&l, &g, "steplab-test", false, err, sizeof(err));
	tap_ok(ret == -EINVAL, "a role the board does not name: -EINVAL");
	g.present = true;
	ret = gpio_line_open(&l, &g, "steplab-test", false, err, sizeof(err));
	tap_ok(ret == -ENODEV && strstr(err, "'no-such-chip'") && strstr(err, "line 'power'") &&
	       !strchr(err, '\n'), "a chip no one has: -ENODEV, one line naming chip and line (%s)",
	       err);
	tap_ok(!l.req && gpio_line_set(&l, true) == -EBADF && gpio_line_toggle(&l) == -EBADF &&
	       l.toggles == 0, "a line not open is not driven, and no toggle is counted");
	g.line[0] = '\0';
	g.offset = 3;
	ret = gpio_line_open(&l, &g, "steplab-test", false, err, sizeof(err));
	tap_ok(ret == -ENODEV && strstr(err, "line 3"), "a line by offset is named by it (%s)", err);
	gpio_line_close(&l);

	board_defaults(&b);
	ret = marker_open(&b, &m, err, sizeof(err));
	tap_ok(ret == -ENOENT && strstr(err, "names no marker line"),
	       "no board file: no marker line, -ENOENT (%s)", err);
	tap_ok(marker_toggle(&m) == -EBADF && m.toggles == 0 && m.failed == 1 &&
	       m.error == -EBADF, "a failed toggle is counted as failed, not as a toggle");
	marker_close(&m);

	ret = board_load("boards/qemu-virt.json", &b, err, sizeof(err));
	tap_ok(!ret, "qemu-virt loads (%s)", ret ? err : "ok");
	ret = marker_open(&b, &m, err, sizeof(err));
	/* a host with that very PL061 is the emulated board itself */
	tap_ok(ret == -ENODEV ? strstr(err, "'9030000.pl061'") && strstr(err, "line 0") : !ret,
	       "qemu-virt's marker off the board: -ENODEV naming the PL061 and line 0 (%s)",
	       ret ? err : "found");
	marker_close(&m);
}

static void test_data_boards(void)
{
	const struct board_gpio *g;
	struct board b;
	char err[512];

	err[0] = '\0';
	tap_ok(!board_load("tests/data/gpio/gpio-sim.json", &b, err, sizeof(err)),
	       "the gpio-sim test board loads%s", err);
	g = board_gpio_get(&b, BOARD_GPIO_RESET);
	tap_ok(b.ngpio == 3 && g && g->active_low && g->settle_ms == 200 &&
	       !strcmp(g->chip, "steplab-sim") && !strcmp(g->line, "reset"),
	       "its reset line is active low with 200 ms to settle");
	tap_ok(!board_load("tests/data/gpio/no-power.json", &b, err, sizeof(err)) &&
	       !board_gpio_get(&b, BOARD_GPIO_POWER), "no-power.json names no power line");
}

static void test_report(void)
{
	static struct run_context ctx = {
		.kernel_release = "6.1.0-test", .kernel_version = "#1", .machine = "aarch64",
		.kvm_mode = "vhe", .midr = "0x0", .emulated = true,
	};
	static const char *const argv0[] = { "run", "--marker" };
	static char why[M_COUNTERS][96];
	struct run_result *res = calloc(1, sizeof(*res));
	struct report_input in = {
		.ctx = &ctx, .res = res, .why = why, .argc = 2,
		.argv = (char *const *)argv0, .status = "complete",
		.marker_toggles = 5, .marker_every = 5,
	};
	struct board b;
	char err[512];
	json_t *doc, *m;

	run_result_init(res);
	board_load("boards/qemu-virt.json", &b, err, sizeof(err));
	in.board = &b;
	doc = report_build(&in);
	tap_ok(doc && !json_object_get(doc, "gpio"), "no marker: no gpio object");
	json_decref(doc);
	in.marker = board_gpio_get(&b, BOARD_GPIO_MARKER);
	doc = report_build(&in);
	m = json_object_get(json_object_get(doc, "gpio"), "marker");
	tap_ok(m && !strcmp(json_string_value(json_object_get(m, "chip")), "9030000.pl061") &&
	       json_integer_value(json_object_get(m, "line")) == 0 &&
	       json_integer_value(json_object_get(m, "toggles")) == 5,
	       "gpio.marker: chip, line by offset, toggles");
	err[0] = '\0';
	tap_ok(!report_validate(doc, err, sizeof(err)), "it validates against the schema%s", err);
	json_decref(doc);
	board_load("tests/data/gpio/gpio-sim.json", &b, err, sizeof(err));
	in.marker = board_gpio_get(&b, BOARD_GPIO_MARKER);
	doc = report_build(&in);
	m = json_object_get(json_object_get(doc, "gpio"), "marker");
	tap_ok(m && json_is_string(json_object_get(m, "line")) &&
	       !report_validate(doc, err, sizeof(err)), "a line by name is a string, and validates");
	json_decref(doc);
	run_result_free(res);
	free(res);
}

int main(void)
{
	test_schedule();
	test_refusals();
	test_data_boards();
	test_report();
	return tap_done();
}
