// SPDX-License-Identifier: GPL-2.0
/* Guest program layout, fixed programs, and the seeded mix generator. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/msg.h"
#include "lib/program.h"

const struct fixed_program fixed_programs[] = {
	{ "every",     "every catalog row once, in catalog order, a log row after each that writes a register" },
	{ "trapped",   "each trapped row (mmio, sysreg, hvc, smc) 16 times" },
	{ "untrapped", "each untrapped row (alu, mem, branch, svc) 16 times" },
};
const unsigned int fixed_programs_count =
	sizeof(fixed_programs) / sizeof(fixed_programs[0]);

/* splitmix64: tiny, integer-only, and identical on every host. */
void rng_seed(struct rng *r, uint64_t seed)
{
	r->state = seed;
}

uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Unbiased: rejects the top sliver that would favour small values. */
uint64_t rng_below(struct rng *r, uint64_t bound)
{
	uint64_t limit = -bound % bound, x;

	do
		x = rng_next(r);
	while (x < limit);
	return x % bound;
}

/*
 * eret lives at the vector, and a log row only after the row whose
 * register it stores: neither is placed on its own.
 */
static bool row_placeable(unsigned int row)
{
	return catalog[row].class != CLASS_ERET && catalog[row].effect != EFFECT_LOG;
}

static int mix_resolve(struct mix_term *t)
{
	int cls = class_from_name(t->token), row;
	unsigned int i;

	t->nrows = 0;
	for (i = 0; i < catalog_size; i++) {
		enum insn_class c = catalog[i].class;
		bool take;

		if (!strcmp(t->token, "mmio"))
			take = class_is_mmio(c);
		else
			take = cls >= 0 && (int)c == cls;
		if (take && row_placeable(i) && t->nrows < 16)
			t->rows[t->nrows++] = (int)i;
	}
	if (t->nrows)
		return 0;
	row = catalog_find(t->token);
	if (row < 0 || !row_placeable((unsigned int)row))
		return -ENOENT;
	t->rows[t->nrows++] = row;
	return 0;
}

static int mix_term_parse(const char *tok, struct mix_term *t, char *err,
			  size_t errlen)
{
	const char *colon = strchr(tok, ':');
	char *end;
	unsigned long w;

	if (!colon || colon == tok || (size_t)(colon - tok) >= sizeof(t->token)) {
		snprintf(err, errlen, "mix: '%s': want CLASS:WEIGHT", tok);
		return -EINVAL;
	}
	memcpy(t->token, tok, colon - tok);
	t->token[colon - tok] = '\0';
	errno = 0;
	w = strtoul(colon + 1, &end, 10);
	if (errno || end == colon + 1 || *end || !w || w > 1000000 ||
	    colon[1] == '-' || colon[1] == '+') {
		snprintf(err, errlen, "mix: '%s': weight must be an integer from 1 to 1000000",
			 tok);
		return -EINVAL;
	}
	t->weight = (unsigned int)w;
	if (mix_resolve(t)) {
		snprintf(err, errlen, "mix: '%s': no class or catalog row named '%s' (see 'steplab catalog')",
			 tok, t->token);
		return -EINVAL;
	}
	return 0;
}

static int __mix_parse(const char *spec, struct mix *m, char *err, size_t errlen)
{
	char buf[1024], *tok, *save;
	unsigned int i;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!spec || !*spec || strlen(spec) >= sizeof(buf)) {
		snprintf(err, errlen, "mix: empty or longer than %zu characters", sizeof(buf) - 1);
		return -EINVAL;
	}
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct mix_term *t;

		if (m->nterms == MIX_MAX_TERMS) {
			snprintf(err, errlen, "mix: more than %d terms", MIX_MAX_TERMS);
			return -EINVAL;
		}
		t = &m->terms[m->nterms];
		ret = mix_term_parse(tok, t, err, errlen);
		if (ret)
			return ret;
		for (i = 0; i < m->nterms; i++) {
			if (!strcmp(m->terms[i].token, t->token)) {
				snprintf(err, errlen, "mix: '%s' given twice", t->token);
				return -EINVAL;
			}
		}
		m->total += t->weight;
		m->nterms++;
	}
	if (!m->nterms || spec[strlen(spec) - 1] == ',' || spec[0] == ',' ||
	    strstr(spec, ",,")) {
		snprintf(err, errlen, "mix: '%s': empty term", spec);
		return -EINVAL;
	}
	return 0;
}

/* Terms are quoted in messages, which must stay one line. */
int mix_parse(const char *spec, struct mix *m, char *err, size_t errlen)
{
	int ret = __mix_parse(spec, m, err, errlen);

	if (ret)
		msg_one_line(err, errlen);
	return ret;
}

void program_init(struct program *p, const char *name)
{
	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", name);
}

void program_free(struct program *p)
{
	free(p->words);
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

unsigned int row_steps(int row)
{
	return catalog[row].class == CLASS_EXCEPTION ? 2 : 1;
}

static int program_grow(struct program *p, size_t need)
{
	size_t cap = p->cap ? p->cap : 1024;
	uint32_t *w;
	int16_t *r;

	while (cap < p->nwords + need)
		cap *= 2;
	if (cap == p->cap)
		return 0;
	w = realloc(p->words, cap * sizeof(*w));
	if (!w)
		return -ENOMEM;
	p->words = w;
	r = realloc(p->rows, cap * sizeof(*r));
	if (!r)
		return -ENOMEM;
	p->rows = r;
	p->cap = cap;
	return 0;
}

/* A row, and the log row of its register when its effect is one. */
static int program_put(struct program *p, int row)
{
	const struct catalog_entry *e = &catalog[row];
	int ret, reg = catalog_logged_reg(e);
	uint32_t i;

	ret = program_grow(p, e->nwords);
	if (ret)
		return ret;
	for (i = 0; i < e->nwords; i++) {
		p->words[p->nwords] = e->words[i];
		/* Only the first word is a step; the rest is the branch's filler. */
		p->rows[p->nwords++] = i ? -1 : (int16_t)row;
	}
	p->steps += row_steps(row);
	if (reg < 0)
		return 0;
	row = catalog_log_row(reg);
	return row < 0 ? -EINVAL : program_put(p, row);
}

int program_add(struct program *p, int row)
{
	int ret;

	if (row < 0 || (unsigned int)row >= catalog_size || !row_placeable((unsigned int)row))
		return -EINVAL;
	if (catalog[row].prep >= 0) {
		ret = program_put(p, catalog[row].prep);
		if (ret)
			return ret;
	}
	return program_put(p, row);
}

int program_add_mix(struct program *p, const struct mix *m, uint64_t seed,
		    uint64_t steps)
{
	uint64_t target = p->steps + steps;
	struct rng r;
	int ret;

	if (!m->total)
		return -EINVAL;
	rng_seed(&r, seed);
	while (p->steps < target) {
		uint64_t pick = rng_below(&r, m->total);
		const struct mix_term *t = m->terms;

		while (pick >= t->weight)
			pick -= (t++)->weight;
		ret = program_add(p, t->rows[rng_below(&r, t->nrows)]);
		if (ret)
			return ret;
	}
	return 0;
}

static bool fixed_wants(const char *name, enum insn_class c)
{
	if (!strcmp(name, "every"))
		return true;
	if (!strcmp(name, "trapped"))
		return class_is_emulated(c);
	return !class_is_emulated(c);
}

int program_add_fixed(struct program *p, const char *name)
{
	unsigned int i, n, rep, reps;
	int ret;

	for (n = 0; n < fixed_programs_count; n++)
		if (!strcmp(fixed_programs[n].name, name))
			break;
	if (n == fixed_programs_count)
		return -ENOENT;
	reps = strcmp(name, "every") ? 16 : 1;
	for (rep = 0; rep < reps; rep++) {
		for (i = 0; i < catalog_size; i++) {
			if (!row_placeable(i) || !fixed_wants(name, catalog[i].class))
				continue;
			ret = program_add(p, (int)i);
			if (ret)
				return ret;
		}
	}
	return 0;
}
