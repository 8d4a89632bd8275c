/* SPDX-License-Identifier: GPL-2.0 */
/* Reading a board file's document, for board.c's loaders. */
#ifndef STEPLAB_BOARD_PARSE_H
#define STEPLAB_BOARD_PARSE_H

#include <stddef.h>
#include <jansson.h>

#include "lib/board.h"

/*
 * Reads the fields of @doc into @b (its defaults already set), then checks
 * the whole document against the built-in schema.  Returns 0, -EINVAL with
 * @err "path:field: reason", or another -errno when the schema itself fails.
 */
int board_parse(const char *path, const json_t *doc, struct board *b, char *err, size_t len);

#endif
