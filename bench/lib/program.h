/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest programs: sequences of catalog rows laid out as guest code, either
 * fixed (named) or composed from a seeded mix.  The layout keeps, for every
 * code word, the row it belongs to, so the engine can tell which row the
 * vCPU is about to step from its PC alone.  A row whose effect is a
 * register is laid out with the log row of that register after it.
 */
#ifndef STEPLAB_PROGRAM_H
#define STEPLAB_PROGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/catalog.h"

#define MIX_MAX_TERMS	32

struct mix_term {
	char token[32];
	unsigned int weight;
	unsigned int nrows;
	int rows[16];
};

struct mix {
	unsigned int nterms;
	unsigned int total;
	struct mix_term terms[MIX_MAX_TERMS];
};

struct program {
	char name[64];
	uint32_t *words;	/* code at GUEST_CODE */
	int16_t *rows;		/* catalog row of each word; -1 for filler */
	size_t nwords, cap;
	uint64_t steps;		/* steps the layout holds */
};

/*
 * The suite's mix, reaching every class: what `make run`, `make check` and
 * the nightly run step (tools/lib.sh and tools/lava/nightly.sh read it from
 * `steplab run --print-suite`), stress's default and the checklist's
 * conformance run.
 */
#define SUITE_MIX	"untrapped:45,mem:5,branch:5,mmio:10,sysreg:10,hvc:10,smc:10,exception:5"

/* Parses "class:weight,..."; err gets "mix: ...: reason" on -EINVAL. */
int mix_parse(const char *spec, struct mix *m, char *err, size_t errlen);

/* A deterministic generator: same seed, same sequence on any host. */
struct rng {
	uint64_t state;
};
void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
uint64_t rng_below(struct rng *r, uint64_t bound);

void program_init(struct program *p, const char *name);
void program_free(struct program *p);
/* Appends a row, preceded by its prep row when it has one. */
int program_add(struct program *p, int row);
/* Appends rows drawn from the mix until the layout holds @steps steps. */
int program_add_mix(struct program *p, const struct mix *m, uint64_t seed,
		    uint64_t steps);
/*
 * The steps a mix's layout must hold so that @steps can be stepped even on
 * a kernel whose every step runs two instructions.
 */
static inline uint64_t mix_layout_steps(uint64_t steps)
{
	return 2 * steps + 64;
}

/* Appends a named fixed program; -ENOENT if there is none of that name. */
int program_add_fixed(struct program *p, const char *name);

/* Steps a row takes: the exception row is followed by the vector's eret. */
unsigned int row_steps(int row);

struct fixed_program {
	const char *name;
	const char *desc;
};
extern const struct fixed_program fixed_programs[];
extern const unsigned int fixed_programs_count;

#endif
