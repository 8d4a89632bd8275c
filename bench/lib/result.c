// SPDX-License-Identifier: GPL-2.0
/* A run's results: set up, merged across kinds or cores, freed. */
#include <string.h>

#include "lib/result.h"

void run_result_init(struct run_result *res)
{
	unsigned int c;

	memset(res, 0, sizeof(*res));
	for (c = 0; c < CLASS_MAX; c++)
		class_stats_init(&res->cls[c]);
}

int run_result_merge(struct run_result *dst, const struct run_result *src)
{
	unsigned int c, i, m;
	int ret;

	for (c = 0; c < CLASS_MAX; c++) {
		ret = class_stats_merge(&dst->cls[c], &src->cls[c]);
		if (ret)
			return ret;
	}
	dst->steps += src->steps;
	dst->nonconforming += src->nonconforming;
	dst->async_exits += src->async_exits;
	dst->unproven += src->unproven;
	for (i = 0; i < UNPROVEN_MAX_BIT; i++)
		dst->unproven_by[i] += src->unproven_by[i];
	dst->known += src->known;
	for (i = 0; i < KNOWN_MAX; i++)
		dst->known_by[i] += src->known_by[i];
	for (i = 0; i < RE_MAX; i++) {
		for (c = 0; c < CLASS_MAX; c++) {
			struct path_stats *d = &dst->paths[i][c];
			const struct path_stats *s = &src->paths[i][c];

			d->steps += s->steps;
			d->conforming += s->conforming;
			d->double_steps += s->double_steps;
			d->isv_set += s->isv_set;
			d->interrupted += s->interrupted;
		}
		if (!dst->path_why[i][0])
			memcpy(dst->path_why[i], src->path_why[i], sizeof(dst->path_why[i]));
	}
	dst->paths_on |= src->paths_on;
	for (i = 0; i < src->nnc && dst->nnc < NC_KEEP; i++)
		dst->nc[dst->nnc++] = src->nc[i];
	if (!dst->nprogs) {
		dst->nprogs = src->nprogs;
		memcpy(dst->progs, src->progs, sizeof(dst->progs));
		for (i = 0; i < dst->nprogs; i++) {
			dst->progs[i].steps = dst->progs[i].planned = 0;
			dst->progs[i].nonconforming = 0;
			memset(dst->progs[i].total, 0, sizeof(dst->progs[i].total));
			dst->progs[i].bare_host = dst->progs[i].bare_reads_host = 0;
			dst->progs[i].bare_steps = 0;
		}
		dst->id_reg = src->id_reg;
		dst->psci_version = src->psci_version;
	}
	for (i = 0; i < src->nprogs && i < dst->nprogs; i++) {
		struct run_program *d = &dst->progs[i];
		const struct run_program *s = &src->progs[i];

		d->steps += s->steps;
		d->planned += s->planned;
		d->nonconforming += s->nonconforming;
		for (m = 0; m < M_COUNTERS; m++)
			d->total[m] += s->total[m];
		d->bare_host += s->bare_host;
		d->bare_reads_host += s->bare_reads_host;
		d->bare_steps += s->bare_steps;
	}
	if (!dst->stopped[0])
		memcpy(dst->stopped, src->stopped, sizeof(dst->stopped));
	return 0;
}

void run_result_free(struct run_result *res)
{
	unsigned int c;

	for (c = 0; c < CLASS_MAX; c++)
		class_stats_free(&res->cls[c]);
}
