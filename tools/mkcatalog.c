// SPDX-License-Identifier: GPL-2.0
/*
 * mkcatalog: turn the assembled catalog (guests/catalog.S) into C.
 *
 *   mkcatalog TEXT.bin META.bin > catalog-gen.c
 *
 * TEXT.bin is the .catalog.text section (the encodings, in row order),
 * META.bin the .catalog.meta section (one fixed-size record per row, laid
 * out by the `insn` macro).  Every name is checked here, at build time.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/catalog.h"

struct meta_rec {
	char class[16];
	char effect[16];
	char name[32];
	char prep[32];
	char text[64];
	uint32_t reg;
	uint32_t nwords;
	uint64_t value;
};

_Static_assert(sizeof(struct meta_rec) == 176, "meta record layout");

/* The generator links catalog.c's name tables but has no rows of its own. */
const struct catalog_entry catalog[1];
const unsigned int catalog_size;

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, r;

	if (!f) {
		fprintf(stderr, "mkcatalog: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				exit(1);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r);
	fclose(f);
	*len = n;
	return buf;
}

static int find_prep(const struct meta_rec *m, size_t nrec, const char *prep)
{
	size_t i;

	if (!strcmp(prep, "none"))
		return -1;
	for (i = 0; i < nrec; i++)
		if (!strcmp(m[i].name, prep))
			return (int)i;
	return -2;
}

/* gas hands the macro's instruction back with its spaces squeezed out. */
static void tidy(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 2 < len; in++) {
		if (*in == '#' && n && out[n - 1] != ' ')
			out[n++] = ' ';
		out[n++] = *in;
		if (*in == ',')
			out[n++] = ' ';
	}
	out[n] = '\0';
}

int main(int argc, char **argv)
{
	size_t tlen, mlen, nrec, i, w = 0, k;
	const uint32_t *text;
	struct meta_rec *m;

	if (argc != 3) {
		fprintf(stderr, "usage: mkcatalog TEXT.bin META.bin\n");
		return 2;
	}
	text = slurp(argv[1], &tlen);
	m = slurp(argv[2], &mlen);
	if (mlen % sizeof(*m) || tlen % 4) {
		fprintf(stderr, "mkcatalog: %s: truncated catalog\n", argv[2]);
		return 1;
	}
	nrec = mlen / sizeof(*m);

	printf("// SPDX-License-Identifier: GPL-2.0\n"
	       "/* Generated from guests/catalog.S by tools/mkcatalog.c. */\n"
	       "#include \"lib/catalog.h\"\n\n"
	       "const struct catalog_entry catalog[] = {\n");
	for (i = 0; i < nrec; i++) {
		int cls = class_from_name(m[i].class);
		int eff = effect_from_name(m[i].effect);
		int prep = find_prep(m, nrec, m[i].prep);
		char tidied[128];

		if (cls < 0 || eff < 0 || prep == -2 || !m[i].nwords ||
		    m[i].nwords > CATALOG_MAX_WORDS || w + m[i].nwords > tlen / 4) {
			fprintf(stderr, "mkcatalog: guests/catalog.S: row '%s': bad %s\n",
				m[i].name, cls < 0 ? "class" : eff < 0 ? "effect" :
				prep == -2 ? "prep (no such row)" : "instruction words");
			return 1;
		}
		tidy(m[i].text, tidied, sizeof(tidied));
		printf("\t{ .name = \"%s\", .text = \"%s\", .class = %d, .effect = %d,\n"
		       "\t  .reg = %" PRIu32 ", .value = 0x%" PRIx64 "ULL, .prep = %d, .nwords = %" PRIu32 ",\n"
		       "\t  .words = {", m[i].name, tidied, cls, eff, m[i].reg,
		       m[i].value, prep, m[i].nwords);
		for (k = 0; k < m[i].nwords; k++)
			printf(" 0x%08" PRIx32 ",", text[w++]);
		printf(" } },\n");
	}
	printf("};\n\nconst unsigned int catalog_size = %zu;\n", nrec);
	if (w != tlen / 4) {
		fprintf(stderr, "mkcatalog: %s: %zu words not claimed by any row\n",
			argv[1], tlen / 4 - w);
		return 1;
	}
	return 0;
}
