// SPDX-License-Identifier: GPL-2.0
/*
 * steplab stress: one VM per selected CPU, each vCPU thread pinned, long
 * seeded mixes in chunks (a fresh VM and program per chunk, so memory is
 * bounded by the histograms, never by the step count), and optionally an
 * interrupt storm: timer signals aimed at each vCPU thread while it steps,
 * forcing asynchronous exits between a stepped instruction and its step
 * exception (the race behind the 6.1 active-pending fix).
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "builtin.h"
#include "host/arch.h"
#include "host/engine.h"
#include "host/kinds.h"
#include "host/run-prep.h"
#include "lib/board.h"
#include "lib/context.h"
#include "lib/opt.h"
#include "lib/program.h"
#include "report/report.h"
#include "report/summary.h"

#define RSS_SAMPLES	512

struct stress_opts {
	struct topo_cpuset cpus;
	bool cpus_given;
	uint64_t steps;			/* per CPU */
	uint64_t chunk;
	const char *mix;
	uint64_t seed;
	unsigned int storm_hz;
	const char *board;
	const char *output;
	unsigned int timeout;
	bool quiet;
};

struct rss_log {
	uint64_t steps[RSS_SAMPLES];
	long kb[RSS_SAMPLES];
	unsigned int n;
};

struct worker {
	pthread_t thread;
	const struct stress_opts *o;
	const struct board *b;
	const struct mix *mix;
	const struct kinds *k;
	struct kind_run *kr;		/* the CPU, its kind, counters, results */
	uint64_t done;			/* steps, read by the main thread */
	bool joined;			/* the main thread has joined it */
	struct rss_log *rl;		/* the first worker logs resident memory */
	int ret;
	char err[256];
};

/* The storm's signal: its only job is to cut a KVM_RUN short. */
static void on_storm(int sig)
{
	(void)sig;
}

static void stress_usage(FILE *f)
{
	fprintf(f,
"usage: steplab stress [OPTIONS]\n"
"One VM per CPU, each vCPU thread pinned, stepping a long seeded mix.\n\n"
"  --cpus LIST       CPUs to stress, e.g. 0-3,6 (default: every CPU)\n"
"  -n, --steps N     steps per CPU (default 1000000)\n"
"      --chunk N     steps per VM before a fresh one (default 65536)\n"
"  -m, --mix SPEC    the mix (default the suite's: steplab run --print-suite)\n"
"  -s, --seed N      seed; each CPU and chunk derives its own (default 1)\n"
"      --storm HZ    timer signals per second at each vCPU thread\n"
"  -b, --board FILE  the board's expectations\n"
"  -o, --output FILE report path (default steplab-stress.json)\n"
"      --timeout SEC watchdog: stop after SEC seconds, report what was done\n"
"  -q, --quiet       no progress lines\n\n"
"Exit status as steplab run: 0 every step conformed, 1 some did not or\n"
"the run was stopped, 2 bad input, 3 the run failed, 4 no arm64 KVM.\n");
}

static const struct option stress_longopts[] = {
	{ "cpus", required_argument, NULL, 'C' },
	{ "steps", required_argument, NULL, 'n' },
	{ "chunk", required_argument, NULL, 'k' },
	{ "mix", required_argument, NULL, 'm' },
	{ "seed", required_argument, NULL, 's' },
	{ "storm", required_argument, NULL, 'S' },
	{ "board", required_argument, NULL, 'b' },
	{ "output", required_argument, NULL, 'o' },
	{ "timeout", required_argument, NULL, 'W' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/* One option; 0, -1 when it was all there is to do (--help), or EXIT_USAGE. */
static int stress_option(int c, char **argv, struct stress_opts *o)
{
	int bad;

	switch (c) {
	case 'C':
		if (topo_cpuset_parse(&o->cpus, optarg) || !topo_cpuset_count(&o->cpus)) {
			fprintf(stderr, "steplab stress: --cpus '%s': want a CPU list like 0-3,6\n",
				optarg);
			return EXIT_USAGE;
		}
		o->cpus_given = true;
		return 0;
	case 'n': bad = opt_num("stress", "--steps", optarg, 1, 1000000000000ull, &o->steps); break;
	case 'k': bad = opt_num("stress", "--chunk", optarg, 1, 1u << 24, &o->chunk); break;
	case 's': bad = opt_num("stress", "--seed", optarg, 0, UINT64_MAX, &o->seed); break;
	case 'S': bad = opt_uint("stress", "--storm", optarg, 1, 100000, &o->storm_hz); break;
	case 'W': bad = opt_uint("stress", "--timeout", optarg, 1, 86400 * 7, &o->timeout); break;
	case 'm': o->mix = optarg; return 0;
	case 'b': o->board = optarg; return 0;
	case 'o': o->output = optarg; return 0;
	case 'q': o->quiet = true; return 0;
	case 'h': stress_usage(stdout); return -1;
	default:
		opt_bad("stress", c, argv);
		return EXIT_USAGE;
	}
	return bad ? EXIT_USAGE : 0;
}

static int stress_parse(int argc, char **argv, struct stress_opts *o)
{
	int c, ret;

	*o = (struct stress_opts) { .steps = 1000000, .chunk = 65536, .seed = 1,
				    .mix = SUITE_MIX, .output = "steplab-stress.json" };
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":n:m:s:b:o:qh", stress_longopts, NULL)) != -1) {
		ret = stress_option(c, argv, o);
		if (ret)
			return ret;
	}
	if (optind < argc) {
		fprintf(stderr, "steplab stress: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	return 0;
}

/* A POSIX timer that signals this thread, and only it, HZ times a second. */
static int storm_start(unsigned int hz, timer_t *t)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1 };
	struct itimerspec its = { 0 };

	sev._sigev_un._tid = (pid_t)syscall(SYS_gettid);
	if (timer_create(CLOCK_MONOTONIC, &sev, t))
		return -errno;
	its.it_interval.tv_nsec = 1000000000L / hz;
	its.it_value = its.it_interval;
	return timer_settime(*t, 0, &its, NULL) ? -errno : 0;
}

static void on_chunk(const struct run_program *rp, const struct run_result *res, void *arg)
{
	struct worker *w = arg;

	(void)rp;
	__atomic_store_n(&w->done, res->steps, __ATOMIC_RELAXED);
}

static long rss_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (!f)
		return -1;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = -1;
	fclose(f);
	return rss < 0 ? -1 : rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* One chunk: a fresh program and VM, its counts added to the CPU's. */
static int worker_chunk(struct worker *w, const struct engine_opts *eo, uint64_t chunk,
			uint64_t n, uint64_t *done)
{
	struct run_program rp;
	struct program p;
	int ret;

	program_init(&p, "stress");
	/* every CPU and chunk its own sequence, reproducible from --seed */
	ret = program_add_mix(&p, w->mix, w->o->seed ^ ((uint64_t)w->kr->pe.cpu << 40) ^ chunk, n);
	p.steps = n;
	memset(&rp, 0, sizeof(rp));
	snprintf(rp.name, sizeof(rp.name), "stress");
	if (!ret)
		ret = engine_run(&p, eo, w->kr->res, &rp, w->err, sizeof(w->err));
	program_free(&p);
	w->kr->res->progs[0].steps += rp.steps;
	w->kr->res->progs[0].planned += rp.planned;
	w->kr->res->progs[0].nonconforming += rp.nonconforming;
	__atomic_store_n(&w->done, w->kr->res->steps, __ATOMIC_RELAXED);
	/*
	 * Between chunks, with no VM mapped: the memory that stays.  (A
	 * sample inside a chunk also holds that chunk's guest RAM.)
	 */
	if (w->rl && w->rl->n < RSS_SAMPLES) {
		w->rl->steps[w->rl->n] = w->kr->res->steps;
		w->rl->kb[w->rl->n++] = rss_kb();
	}
	*done = rp.steps;
	return ret;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct kind_open ko = { .b = w->b };
	struct engine_opts eo = {
		.expect = w->b->expect, .stop = &run_stop_requested, .progress = on_chunk,
		.arg = w, .cpus = w->kr->checked ? &w->kr->pe.cpus : NULL,
		/* a storm's steps re-enter any way: each its own entries */
		.observe_every = 1,
	};
	struct counters ctr;
	uint64_t chunk = 0, left = w->o->steps, n;
	timer_t storm;
	bool storming = false;

	w->ret = kind_run_open(w->kr, w->k, &ko, &ctr, &eo.counters, w->err, sizeof(w->err));
	if (w->ret)
		return NULL;
	if (w->o->storm_hz) {
		w->ret = storm_start(w->o->storm_hz, &storm);
		storming = !w->ret;
		if (w->ret)
			snprintf(w->err, sizeof(w->err), "timer_create: %s", strerror(-w->ret));
	}
	while (!w->ret && left && !run_stop_requested) {
		w->ret = worker_chunk(w, &eo, chunk++, left < w->o->chunk ? left : w->o->chunk, &n);
		left -= n < left ? n : left;
	}
	if (storming)
		timer_delete(storm);
	kind_run_close(eo.counters);
	return NULL;
}

static uint64_t steps_done(const struct worker *w, unsigned int nw)
{
	uint64_t sum = 0;
	unsigned int i;

	for (i = 0; i < nw; i++)
		sum += __atomic_load_n(&w[i].done, __ATOMIC_RELAXED);
	return sum;
}

/* The main thread watches: progress, resident memory, the workers' end. */
static void watch(struct worker *w, unsigned int nw, const struct stress_opts *o)
{
	struct timespec tick = { 0, 200 * 1000 * 1000 };
	uint64_t total = o->steps * nw, done, last_print = 0;
	unsigned int i, alive, ticks = 0;

	do {
		nanosleep(&tick, NULL);
		/* a thread is joined once: joining it again is undefined */
		for (i = alive = 0; i < nw; i++) {
			if (!w[i].joined && pthread_tryjoin_np(w[i].thread, NULL) == 0)
				w[i].joined = true;
			alive += !w[i].joined;
		}
		done = steps_done(w, nw);
		if (!o->quiet && (++ticks % 25 == 0 || done - last_print >= total / 10)) {
			fprintf(stderr, "steplab stress: %" PRIu64 "/%" PRIu64 " steps on %u cpu(s), rss %ld kB\n",
				done, total, nw, rss_kb());
			last_print = done;
		}
	} while (alive);
}

/* Memory after warm-up (the first tenth of the steps): its spread. */
static json_t *rss_json(const struct rss_log *rl, uint64_t total)
{
	json_t *samples = json_array();
	long base = -1, max = -1;
	unsigned int i;

	for (i = 0; i < rl->n; i++) {
		json_array_append_new(samples, json_pack("[Ii]", (json_int_t)rl->steps[i],
							 (int)rl->kb[i]));
		if (rl->steps[i] < total / 10 || rl->kb[i] < 0)
			continue;
		if (base < 0)
			base = rl->kb[i];
		if (rl->kb[i] > max)
			max = rl->kb[i];
	}
	return json_pack("{so sI si si sf}", "samples", samples,
			 "warmup_steps", (json_int_t)(total / 10),
			 "after_warmup_first_kb", (int)base, "after_warmup_max_kb", (int)max,
			 "growth", base > 0 ? (double)(max - base) / (double)base : 0.0);
}

/* Keeps the planned cores that --cpus names (all without it). */
static int select_cpus(struct kinds *k, const struct stress_opts *o)
{
	unsigned int i, n = 0;

	for (i = 0; i < k->nr; i++)
		if (!o->cpus_given || topo_cpuset_has(&o->cpus, (int)k->runs[i].pe.cpu))
			k->runs[n++] = k->runs[i];
	k->nr = n;
	return n ? 0 : -ENODEV;
}

static int stress_report(const struct stress_opts *o, int argc, char **argv,
			 const struct board *b, struct kinds *k, struct worker *w,
			 const struct rss_log *rl, int ret, const char *err)
{
	struct run_result *res = calloc(1, sizeof(*res));
	json_t *per_cpu = json_array(), *extra, *doc;
	struct run_context ctx;
	char werr[512];
	unsigned int i;
	int status;

	if (!res)
		return EXIT_ERROR;
	run_result_init(res);
	for (i = 0; i < k->nr; i++) {
		run_result_merge(res, k->runs[i].res);
		json_array_append_new(per_cpu, json_pack("{si sI sI sI}", "cpu", (int)k->runs[i].pe.cpu,
			"steps", (json_int_t)k->runs[i].res->steps,
			"nonconforming", (json_int_t)k->runs[i].res->nonconforming,
			"async_exits", (json_int_t)k->runs[i].res->async_exits));
	}
	if (ret == -EINTR)
		snprintf(res->stopped, sizeof(res->stopped), "%s", run_stop_signal == SIGALRM ?
			 "watchdog: --timeout elapsed" : strsignal(run_stop_signal));
	extra = json_pack("{s{sI sI si so so}}", "stress", "steps_per_cpu", (json_int_t)o->steps,
			  "chunk", (json_int_t)o->chunk, "storm_hz", (int)o->storm_hz,
			  "per_cpu", per_cpu, "rss", rss_json(rl, o->steps));
	context_read(&ctx);
	{
		struct report_input in = {
			.ctx = &ctx, .board = b, .res = res, .argc = argc, .argv = argv,
			.have = k->runs[0].have, .why = k->runs[0].why, .kinds = k,
			.status = ret == -EINTR ? "interrupted" : ret ? "failed" : "complete",
			.error = ret && ret != -EINTR ? err : NULL, .extra = extra,
		};

		doc = report_build(&in);
	}
	json_decref(extra);
	status = !doc ? EXIT_ERROR : report_write(o->output, doc, werr, sizeof(werr)) ?
		 EXIT_ERROR : EXIT_OK;
	if (status == EXIT_ERROR)
		fprintf(stderr, "steplab stress: %s\n", doc ? werr : "building the report failed");
	else if (!o->quiet)
		report_print_summary(doc, stdout);
	if (status == EXIT_OK) {
		printf("report: %s\n", o->output);
		if (ret && ret != -EINTR) {
			fprintf(stderr, "steplab stress: %s\n", err);
			status = EXIT_ERROR;
		} else if (res->nonconforming || ret) {
			status = EXIT_NONCONFORMING;
		}
	}
	json_decref(doc);
	(void)w;
	run_result_free(res);
	free(res);
	return status;
}

/* The stop signals of run, and the storm's. */
static void signals_install(unsigned int timeout)
{
	struct sigaction sa = { .sa_handler = on_storm };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	run_stop_signals_install(timeout);
}

/* One vCPU thread per planned CPU; how many started. */
static unsigned int stress_start(struct kinds *k, struct worker *w, const struct stress_opts *o,
				 const struct board *b, const struct mix *m, struct rss_log *rl)
{
	unsigned int i;

	for (i = 0; i < k->nr; i++) {
		struct kind_run *kr = &k->runs[i];

		kr->res = calloc(1, sizeof(*kr->res));
		if (!kr->res)
			break;
		run_result_init(kr->res);
		kr->res->nprogs = 1;
		snprintf(kr->res->progs[0].name, sizeof(kr->res->progs[0].name), "stress");
		snprintf(kr->res->progs[0].spec, sizeof(kr->res->progs[0].spec), "%s", o->mix);
		kr->res->progs[0].seed = o->seed;
		w[i] = (struct worker) { .o = o, .b = b, .mix = m, .kr = kr,
					 .k = k, .rl = i ? NULL : rl };
		if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]))
			break;
	}
	return i;
}

/* The first worker's error, -EINTR when stopped, or 0. */
static int stress_collect(const struct kinds *k, const struct worker *w, unsigned int started,
			  char *err, size_t len)
{
	unsigned int i;

	for (i = 0; i < started; i++)
		if (w[i].ret) {
			snprintf(err, len, "cpu %u: %s", k->runs[i].pe.cpu, w[i].err);
			return w[i].ret;
		}
	return run_stop_requested ? -EINTR : 0;
}

int cmd_stress(int argc, char **argv)
{
	struct stress_opts o;
	struct kinds k = { .nr = 0 };
	struct worker *w = NULL;
	struct rss_log *rl = NULL;
	struct board b;
	struct mix m;
	char err[512] = "";
	unsigned int started;
	int ret, status = EXIT_ERROR;

	ret = stress_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (o.board ? board_load(o.board, &b, err, sizeof(err)) : (board_defaults(&b), 0)) {
		fprintf(stderr, "steplab stress: %s\n", err);
		return EXIT_USAGE;
	}
	if (mix_parse(o.mix, &m, err, sizeof(err))) {
		fprintf(stderr, "steplab stress: --mix: %s\n", err);
		return EXIT_USAGE;
	}
	if (arch_unsupported()) {
		fprintf(stderr, "steplab stress: %s (this is %s); run it on the emulated board: "
			"tools/qemu-board -- stress ...\n", arch_unsupported(), arch_name());
		return EXIT_SKIP;
	}
	ret = kinds_plan(&k, true, -1, err, sizeof(err));
	if (!ret && select_cpus(&k, &o)) {
		fprintf(stderr, "steplab stress: --cpus: none of those CPUs is on this machine\n");
		status = EXIT_USAGE;
		goto out;
	}
	w = calloc(k.nr, sizeof(*w));
	rl = calloc(1, sizeof(*rl));
	if (ret || !w || !rl) {
		fprintf(stderr, "steplab stress: %s\n", ret ? err : "out of memory");
		goto out;
	}
	/*
	 * Every chunk allocates and frees its program and pending buffers
	 * (hundreds of kB).  A fixed mmap threshold sends them to mmap and back
	 * on free; glibc's sliding one would keep them in the threads' arenas,
	 * where fragmentation grows resident memory chunk after chunk.
	 */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	signals_install(o.timeout);
	started = stress_start(&k, w, &o, &b, &m, rl);
	if (started < k.nr) {
		run_stop_requested = 1;
		fprintf(stderr, "steplab stress: starting the vCPU threads failed\n");
	}
	watch(w, started, &o);
	ret = stress_collect(&k, w, started, err, sizeof(err));
	k.nr = started;
	status = started ? stress_report(&o, argc, argv, &b, &k, w, rl, ret, err) : EXIT_ERROR;
out:
	free(w);
	free(rl);
	kinds_free(&k);
	return status;
}
