/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GPIO lines a board file names by role (libgpiod v2): the marker an
 * external logic analyser watches, the board's power and reset.  A line is
 * found by its chip's label and its name or offset, requested as an output
 * and driven by its logical value: asserted is high, or low for an
 * active_low line.
 */
#ifndef STEPLAB_GPIO_H
#define STEPLAB_GPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/board.h"

struct gpiod_line_request;

struct gpio_line {
	struct gpiod_line_request *req;	/* NULL: not open */
	char chip[32];			/* label, as the board file names it */
	char path[64];			/* /dev/gpiochipN */
	char name[40];			/* line name, or "offset N" */
	unsigned int offset;
	bool active_low;
	uint32_t settle_ms;
	bool value;			/* logical: asserted or not */
	uint64_t toggles;		/* successful gpio_line_toggle() calls */
};

/*
 * Finds the chip labelled @g->chip among /dev/gpiochip*, the line by name
 * or offset, and requests it as an output at logical @value under the
 * name @consumer.  Returns 0, or -errno with one line in @err naming chip
 * and line: -ENODEV no chip with that label, -ENOENT no such line on it,
 * -EBUSY the line is held (by whom, when the kernel says), -EINVAL @g
 * names no line, other -errno from the kernel.
 */
int gpio_line_open(struct gpio_line *l, const struct board_gpio *g, const char *consumer,
		   bool value, char *err, size_t len);
/* Drives the line to logical @value.  0 or -errno. */
int gpio_line_set(struct gpio_line *l, bool value);
/* Drives the line to the other value and counts the toggle.  0 or -errno. */
int gpio_line_toggle(struct gpio_line *l);
/* Sleeps the line's settle_ms: what its effect needs after a change. */
void gpio_line_settle(const struct gpio_line *l);
/* Releases the line; the kernel does not say what it drives afterwards. */
void gpio_line_close(struct gpio_line *l);

/*
 * The engine's marker: the board's marker line, idle (not asserted) once
 * opened, toggled at each mark.
 */
struct marker {
	struct gpio_line line;
	uint64_t toggles;	/* marks made */
	uint64_t failed;	/* marks whose toggle failed */
	int error;		/* the first failure, -errno */
};

/*
 * Opens @b's marker line.  -ENOENT with a reason when the board names
 * none; otherwise as gpio_line_open().
 */
int marker_open(const struct board *b, struct marker *m, char *err, size_t len);
/* One mark: toggles the line.  0 or -errno, also kept in m->error. */
int marker_toggle(struct marker *m);
void marker_close(struct marker *m);

#endif
