// SPDX-License-Identifier: GPL-2.0
/*
 * A board: its defaults, the lookups the run makes in it, and loading a
 * board file (board-parse.c reads and checks its fields).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>

#include "lib/board-parse.h"
#include "lib/board.h"
#include "lib/msg.h"

const struct board_gpio *board_gpio_get(const struct board *b, enum board_gpio_role r)
{
	return (unsigned int)r < BOARD_GPIO_ROLE_MAX && b->gpio[r].present ? &b->gpio[r] : NULL;
}

const struct board_core *board_core_by_midr(const struct board *b, uint64_t midr)
{
	uint32_t implementer = (midr >> 24) & 0xff, part = (midr >> 4) & 0xfff;
	unsigned int i;

	for (i = 0; i < b->ncores; i++)
		if (b->cores[i].implementer == implementer && b->cores[i].part == part)
			return &b->cores[i];
	return NULL;
}

unsigned int board_cores_total(const struct board *b)
{
	unsigned int i, n = 0;

	for (i = 0; i < b->ncores; i++)
		n += b->cores[i].count;
	return n;
}

void board_defaults(struct board *b)
{
	unsigned int c;

	memset(b, 0, sizeof(*b));
	snprintf(b->name, sizeof(b->name), "unknown");
	for (c = 0; c < CLASS_MAX; c++)
		class_expect_default(c, &b->expect[c]);
	for (c = 0; c < BOARD_GPIO_ROLE_MAX; c++)
		b->gpio[c].offset = -1;
	b->checklist = (struct board_checklist){
		.conformance_steps = 100000,
		.min_counter_hz = 10000000,
		.max_perf_event_paranoid = 1,
		.require_kvm_tracepoints = true,
	};
}

/* The tail both loaders share: Jansson's verdict, then the fields. */
static int board_from_doc(const char *name, json_t *doc, const json_error_t *je,
			  struct board *b, char *err, size_t len)
{
	int ret;

	if (!doc && je->line < 1) {
		snprintf(err, len, "%s: %s", name, je->text);
		ret = -ENOENT;
	} else if (!doc) {
		snprintf(err, len, "%s:%d:%d: %s", name, je->line, je->column, je->text);
		ret = -EINVAL;
	} else {
		ret = board_parse(name, doc, b, err, len);
		json_decref(doc);
	}
	/* messages quote the file: a string's "\n", the byte Jansson stopped at */
	if (ret)
		msg_one_line(err, len);
	return ret;
}

int board_load(const char *path, struct board *b, char *err, size_t len)
{
	json_error_t je;
	json_t *doc;

	board_defaults(b);
	snprintf(b->path, sizeof(b->path), "%s", path);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	return board_from_doc(path, doc, &je, b, err, len);
}

int board_load_buffer(const char *name, const char *buf, size_t buflen,
		      struct board *b, char *err, size_t len)
{
	json_error_t je;
	json_t *doc;

	board_defaults(b);
	snprintf(b->path, sizeof(b->path), "%s", name);
	doc = json_loadb(buf, buflen, JSON_REJECT_DUPLICATES, &je);
	return board_from_doc(name, doc, &je, b, err, len);
}
