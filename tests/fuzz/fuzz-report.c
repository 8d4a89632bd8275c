// SPDX-License-Identifier: GPL-2.0
/*
 * Reports and baselines: any bytes are loaded as a report, validated, and
 * written out and read back, which must give the same document and the
 * same verdict.  A baseline made from the document is checked against it,
 * and the document itself is taken for a baseline (the command line reads
 * baseline files unchecked), each ending in a count or a one-line message.
 */
#include <errno.h>

#include "fuzz.h"
#include "report/baseline.h"
#include "report/report.h"

#define NAME	"fuzz.json"

/*
 * Mismatches baseline_check() can count at most: one per metric or class
 * of the baseline, one per class of the report.
 */
static size_t baseline_items(const json_t *base, const json_t *doc)
{
	json_t *modes;
	const char *key;
	size_t n = json_array_size(json_object_get(doc, "classes"));

	json_object_foreach(json_object_get(base, "classes"), key, modes)
		n += json_object_size(modes) ? json_object_size(modes) : 1;
	return n;
}

static int check_baseline(const json_t *base, const json_t *doc)
{
	char err[512] = "", *out = NULL;
	size_t outlen = 0;
	FILE *f;
	int bad;

	f = open_memstream(&out, &outlen);
	fuzz_assert(f);
	bad = baseline_check(base, doc, f, err, sizeof(err));
	fclose(f);
	fuzz_assert(bad >= 0 || bad == -EINVAL || bad == -ESRCH);
	fuzz_check_message(bad < 0 ? bad : 0, err, sizeof(err), NULL);
	if (bad >= 0) {
		fuzz_assert((size_t)bad <= baseline_items(base, doc));
		fuzz_assert(!bad == !outlen);
	}
	free(out);
	return bad;
}

/* A baseline made from any report: it names the report's own board and kernel. */
static void check_made(const json_t *doc)
{
	const json_t *sum = json_object_get(doc, "summary");
	char err[512] = "";
	json_t *base;

	base = baseline_make(doc, err, sizeof(err));
	fuzz_check_message(base ? 0 : -EINVAL, err, sizeof(err), NULL);
	/* only a conforming report that measured some class makes one */
	fuzz_assert(!base || (json_is_true(json_object_get(sum, "conforming")) &&
			      json_array_size(json_object_get(doc, "classes"))));
	if (!base)
		return;
	fuzz_assert(!strcmp(json_string_value(json_object_get(base, "schema")),
			    BASELINE_SCHEMA));
	fuzz_assert(check_baseline(base, doc) >= 0);
	json_decref(base);
}

/* Written and read back: the same document, the same verdict, word for word. */
static void check_round_trip(const json_t *doc, int vret, const char *verr)
{
	char err[512] = "", *text;
	json_t *back;
	int ret;

	text = json_dumps(doc, JSON_COMPACT);
	fuzz_assert(text);
	ret = report_load_buffer(NAME, text, strlen(text), &back, err, sizeof(err));
	fuzz_assert(!ret && json_equal(doc, back));
	ret = report_validate(back, err, sizeof(err));
	fuzz_assert(ret == vret && !strcmp(err, verr));
	json_decref(back);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512] = "", err2[512] = "";
	json_t *doc;
	int ret, ret2;

	ret = report_load_buffer(NAME, (const char *)data, size, &doc, err, sizeof(err));
	fuzz_assert(ret == 0 || ret == -EINVAL);
	fuzz_check_message(ret, err, sizeof(err), NAME ":");
	if (ret)
		return 0;
	ret = report_validate(doc, err, sizeof(err));
	fuzz_assert(ret == 0 || ret == -EINVAL || ret == -ELOOP);
	fuzz_check_message(ret, err, sizeof(err), NULL);
	ret2 = report_validate(doc, err2, sizeof(err2));
	fuzz_assert(ret == ret2 && !strcmp(err, err2));
	check_round_trip(doc, ret, err);
	check_made(doc);
	check_baseline(doc, doc);
	json_decref(doc);
	return 0;
}
