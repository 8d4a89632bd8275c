/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reports: versioned JSON (schema "steplab-report"), written atomically.
 * Readers ignore keys they do not know; a new major version is a break.
 */
#ifndef STEPLAB_REPORT_H
#define STEPLAB_REPORT_H

#include <stddef.h>
#include <jansson.h>

#include "lib/board.h"
#include "lib/context.h"
#include "lib/result.h"

#define REPORT_SCHEMA		"steplab-report"
#define REPORT_VERSION_MAJOR	1
#define REPORT_VERSION_MINOR	5

struct report_input {
	const struct run_context *ctx;
	const struct board *board;
	const struct run_result *res;
	uint32_t have;				/* metrics counted */
	const char (*why)[96];			/* why the others were not */
	int argc;
	char *const *argv;
	const char *status;			/* complete, interrupted, failed */
	const char *error;			/* what stopped a failed run */
	const struct kinds *kinds;		/* per kind or core; NULL: none */
	json_t *extra;				/* more top-level keys, or NULL */
	const struct known *known;		/* known divergences; NULL: none */
	const struct board_gpio *marker;	/* the line toggled; NULL: none */
	uint64_t marker_toggles;		/* toggles made */
	uint64_t marker_every;			/* --marker-every, 0: none */
	const char *counter_reads;		/* "user", "read(2)"; NULL: no counters */
	const char *counter_reads_why;		/* why not from user space, or "" */
	uint64_t counter_fallbacks;		/* user reads that had to use read(2) */
	uint64_t observe_every;			/* tracepoints on every Nth step */
};

json_t *report_build(const struct report_input *in);
/*
 * What a run's steps add up to: "nonconforming" (a step that no known
 * divergence explains), "unproven" (evidence missing), "known divergences"
 * (every non-conforming step explained), or "conforming".
 */
const char *run_verdict(const struct run_result *res);
/* Writes to a temp file beside @path, fsyncs, renames: all or nothing. */
int report_write(const char *path, const json_t *doc, char *err, size_t len);
int report_load(const char *path, json_t **doc, char *err, size_t len);
/*
 * Loads and validates a report; on -EINVAL err is "file:field: reason"
 * (or the loader's "file:line:col: reason") and *doc is NULL.
 */
int report_load_valid(const char *path, json_t **doc, char *err, size_t len);
/* The same for a command: the one line of why goes to stderr. */
int report_open(const char *path, json_t **doc);
/* The same from @buflen bytes at @buf; @name stands for the file in err. */
int report_load_buffer(const char *name, const char *buf, size_t buflen,
		       json_t **doc, char *err, size_t len);
/* Checks schema name, major version, and the built-in JSON Schema. */
int report_validate(const json_t *doc, char *err, size_t len);
const char *report_schema_text(void);

#endif
