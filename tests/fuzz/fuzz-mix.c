// SPDX-License-Identifier: GPL-2.0
/*
 * Mix specs: any bytes, NUL-terminated, go through mix_parse() twice.  A
 * refusal is one line starting "mix: "; a mix that parses is the same
 * both times, keeps its bounds, and lays out a few hundred steps, the same
 * for the same seed, drawn only from its own terms.
 */
#include <errno.h>

#include "fuzz.h"
#include "lib/program.h"

#define STEPS	300

static void check_mix(const struct mix *m)
{
	unsigned int i, j, total = 0;

	fuzz_assert(m->nterms >= 1 && m->nterms <= MIX_MAX_TERMS);
	for (i = 0; i < m->nterms; i++) {
		const struct mix_term *t = &m->terms[i];

		fuzz_assert(memchr(t->token, '\0', sizeof(t->token)) && t->token[0]);
		fuzz_assert(t->weight >= 1 && t->weight <= 1000000);
		fuzz_assert(t->nrows >= 1 && t->nrows <= 16);
		for (j = 0; j < t->nrows; j++)
			fuzz_assert(t->rows[j] >= 0 && (unsigned int)t->rows[j] < catalog_size &&
				    catalog[t->rows[j]].class != CLASS_ERET &&
				    catalog[t->rows[j]].effect != EFFECT_LOG);
		for (j = 0; j < i; j++)
			fuzz_assert(strcmp(m->terms[j].token, t->token));
		total += t->weight;
	}
	fuzz_assert(total == m->total);
}

/* A row of the mix, the prep row one of them needs, or the log row of either. */
static bool mix_has(const struct mix *m, int row)
{
	unsigned int i, j;
	int r, p;

	for (i = 0; i < m->nterms; i++)
		for (j = 0; j < m->terms[i].nrows; j++) {
			r = m->terms[i].rows[j];
			p = catalog[r].prep;
			if (r == row || p == row ||
			    catalog_log_row(catalog_logged_reg(&catalog[r])) == row ||
			    (p >= 0 && catalog_log_row(catalog_logged_reg(&catalog[p])) == row))
				return true;
		}
	return false;
}

static void check_layout(const struct mix *m, uint64_t seed)
{
	struct program a, b;
	size_t i;

	program_init(&a, "fuzz");
	program_init(&b, "fuzz");
	fuzz_assert(!program_add_mix(&a, m, seed, STEPS));
	fuzz_assert(!program_add_mix(&b, m, seed, STEPS));
	/* a row takes at most two steps, its prep row one more, their log rows two */
	fuzz_assert(a.steps >= STEPS && a.steps < STEPS + 4);
	fuzz_assert(a.nwords <= a.cap && a.nwords >= a.steps / 2);
	fuzz_assert(a.steps == b.steps && a.nwords == b.nwords &&
		    !memcmp(a.words, b.words, a.nwords * sizeof(*a.words)) &&
		    !memcmp(a.rows, b.rows, a.nwords * sizeof(*a.rows)));
	for (i = 0; i < a.nwords; i++)
		fuzz_assert(a.rows[i] == -1 || mix_has(m, a.rows[i]));
	program_free(&a);
	program_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mix m, m2;
	char err[256] = "", err2[256] = "", *spec;
	uint64_t seed = 0;
	int ret, ret2;

	spec = malloc(size + 1);
	fuzz_assert(spec);
	memcpy(spec, data, size);
	spec[size] = '\0';
	ret = mix_parse(spec, &m, err, sizeof(err));
	fuzz_assert(ret == 0 || ret == -EINVAL);
	fuzz_check_message(ret, err, sizeof(err), "mix: ");
	ret2 = mix_parse(spec, &m2, err2, sizeof(err2));
	fuzz_assert(ret == ret2 && !strcmp(err, err2));
	if (!ret) {
		check_mix(&m);
		fuzz_assert(!memcmp(&m, &m2, sizeof(m)));
		memcpy(&seed, data, size < sizeof(seed) ? size : sizeof(seed));
		check_layout(&m, seed);
	}
	free(spec);
	return 0;
}
