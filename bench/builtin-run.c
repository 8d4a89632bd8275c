// SPDX-License-Identifier: GPL-2.0
/* steplab run: bring up, run every program, write the report. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "builtin.h"
#include "host/arch.h"
#include "host/engine.h"
#include "host/kinds.h"
#include "host/run-prep.h"
#include "lib/board.h"
#include "lib/context.h"
#include "lib/gpio.h"
#include "lib/known.h"
#include "report/report.h"
#include "report/summary.h"

#define MAX_PROGRAMS	8

struct run_opts {
	const char *guests[MAX_PROGRAMS];
	unsigned int nguests;
	const char *mix;
	uint64_t seed;
	uint64_t steps;
	const char *board;
	const char *output;
	int cpu;		/* -1: stay where started */
	bool counters;
	bool perturbations;	/* also count context switches and page faults */
	bool quiet;
	bool overhead;
	bool all_cores;
	unsigned int timeout;	/* watchdog, seconds; 0: none */
	const char *trace;
	bool marker;
	uint64_t marker_every;
	uint32_t reentry;	/* bit per enum reentry */
	const char *known_file;
	struct known *known;	/* loaded from known_file */
	struct marker *mark;	/* the board's marker line, once open */
};

static volatile sig_atomic_t stop_requested, stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
	stop_requested = 1;
}

/*
 * SIGINT, SIGTERM and the watchdog (SIGALRM from --timeout) finish the
 * step under way and stop; the report is written with what was done.  No
 * SA_RESTART: a KVM_RUN in progress must come back with EINTR.
 */
static void stop_signals_install(unsigned int timeout)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	if (timeout)
		alarm(timeout);
}

static void stop_reason(const struct run_opts *o, char *buf, size_t len)
{
	if (stop_signal == SIGALRM)
		snprintf(buf, len, "watchdog: --timeout %u s elapsed", o->timeout);
	else
		snprintf(buf, len, "stopped by %s", strsignal(stop_signal));
}

static void run_usage(FILE *f)
{
	fprintf(f,
"usage: steplab run [OPTIONS]\n"
"Single-steps guest programs on this host's KVM (arm64), judges every step\n"
"and writes a JSON report.\n\n"
"  -g, --guest NAME     a fixed guest program (repeatable; 'steplab catalog'\n"
"                       lists them); default: every fixed program\n"
"  -m, --mix SPEC       a program composed from the catalog, e.g.\n"
"                       untrapped:60,mmio:10,sysreg:10,hvc:10,smc:10\n"
"  -s, --seed N         seed of the mix (default 1): same seed, same program\n"
"  -n, --steps N        steps of the mix (default 10000)\n"
"  -b, --board FILE     board file with the board's expectations (boards/)\n"
"  -o, --output FILE    report path (default steplab-report.json)\n"
"  -c, --cpu N          run on CPU N only (default: once on each CPU kind,\n"
"                       pinned to its first CPU)\n"
"      --all-cores      run on every core, kind by kind\n"
"      --timeout SEC    watchdog: stop after SEC seconds, report what was done\n"
"      --trace FILE     also write every step as a CSV line to FILE\n"
"      --no-counters    do not open the counter group\n"
"      --count-perturbations\n"
"                       also count the stepping thread's context switches and\n"
"                       page faults per step: steps with one, like steps with\n"
"                       a host interrupt, are left out of each metric's quiet\n"
"                       figures (costs host instructions on every step)\n"
"      --overhead       first step each program with a bare stepper (KVM_RUN\n"
"                       and the PC only) and report steplab's overhead\n"
"      --marker         toggle the board's marker GPIO line (--board) before\n"
"                       each program's first step and after its last, outside\n"
"                       every measured window, for an external observer\n"
"      --marker-every N also after every Nth step in between\n"
"  -r, --reentry LIST   how steps come back into KVM_RUN after an exit,\n"
"                       comma-separated, each where it applies, in turn per\n"
"                       class: plain; immediate-exit (MMIO: immediate_exit\n"
"                       set for the completing KVM_RUN); signal (a signal\n"
"                       pending where KVM re-enters: MMIO, sysreg, hvc,\n"
"                       smc); smccc-user (the SMC forwarded to userspace,\n"
"                       Linux 6.4+); all (default)\n"
"  -k, --known FILE     known divergences (results/known-divergences.json):\n"
"                       steps they explain are reported as known, and only\n"
"                       the others make the exit status 1\n"
"  -q, --quiet          no progress lines\n"
"  -h, --help           this text\n\n"
"Exit status: 0 every step conformed and was proven (or only known\n"
"divergences, with --known), 1 some step did not conform, 2 bad input,\n"
"3 the run failed, 4 this host cannot run it (no arm64 KVM), 5 unproven: no\n"
"step failed, but some lacked the evidence their verdict needs (a counter\n"
"missing, --no-counters, or counters not running the whole window).\n");
}

static int parse_u64(const char *opt, const char *s, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	if (errno || end == s || *end || s[0] == '-' || *out > max) {
		fprintf(stderr, "steplab run: %s '%s': want an integer from 0 to %" PRIu64 "\n",
			opt, s, max);
		return -EINVAL;
	}
	return 0;
}

static int run_parse(int argc, char **argv, struct run_opts *o)
{
	static const struct option longopts[] = {
		{ "guest", required_argument, NULL, 'g' },
		{ "mix", required_argument, NULL, 'm' },
		{ "seed", required_argument, NULL, 's' },
		{ "steps", required_argument, NULL, 'n' },
		{ "board", required_argument, NULL, 'b' },
		{ "output", required_argument, NULL, 'o' },
		{ "cpu", required_argument, NULL, 'c' },
		{ "no-counters", no_argument, NULL, 'C' },
		{ "count-perturbations", no_argument, NULL, 'P' },
		{ "overhead", no_argument, NULL, 'O' },
		{ "trace", required_argument, NULL, 'T' },
		{ "all-cores", no_argument, NULL, 'A' },
		{ "timeout", required_argument, NULL, 'W' },
		{ "marker", no_argument, NULL, 'M' },
		{ "marker-every", required_argument, NULL, 'E' },
		{ "reentry", required_argument, NULL, 'r' },
		{ "known", required_argument, NULL, 'k' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	char err[160];
	uint64_t cpu;
	int c;

	*o = (struct run_opts) { .seed = 1, .steps = 10000, .counters = true, .cpu = -1,
				 .output = "steplab-report.json", .reentry = REENTRY_DEFAULT };
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, "g:m:s:n:b:o:c:r:k:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			if (o->nguests == MAX_PROGRAMS) {
				fprintf(stderr, "steplab run: at most %d --guest\n", MAX_PROGRAMS);
				return EXIT_USAGE;
			}
			o->guests[o->nguests++] = optarg;
			break;
		case 'm': o->mix = optarg; break;
		case 's':
			if (parse_u64("--seed", optarg, UINT64_MAX, &o->seed))
				return EXIT_USAGE;
			break;
		case 'n':
			if (parse_u64("--steps", optarg, 100000000, &o->steps) || !o->steps) {
				if (!o->steps)
					fprintf(stderr, "steplab run: --steps must be at least 1\n");
				return EXIT_USAGE;
			}
			break;
		case 'b': o->board = optarg; break;
		case 'o': o->output = optarg; break;
		case 'c':
			if (parse_u64("--cpu", optarg, 4095, &cpu))
				return EXIT_USAGE;
			o->cpu = (int)cpu;
			break;
		case 'C': o->counters = false; break;
		case 'P': o->perturbations = true; break;
		case 'O': o->overhead = true; break;
		case 'T': o->trace = optarg; break;
		case 'A': o->all_cores = true; break;
		case 'W':
			if (parse_u64("--timeout", optarg, 86400 * 7, &cpu) || !cpu) {
				if (!cpu)
					fprintf(stderr, "steplab run: --timeout must be at least 1 second\n");
				return EXIT_USAGE;
			}
			o->timeout = (unsigned int)cpu;
			break;
		case 'M': o->marker = true; break;
		case 'E':
			if (parse_u64("--marker-every", optarg, 100000000, &o->marker_every) ||
			    !o->marker_every) {
				if (!o->marker_every)
					fprintf(stderr, "steplab run: --marker-every must be at least 1\n");
				return EXIT_USAGE;
			}
			break;
		case 'r':
			if (reentry_parse(optarg, &o->reentry, err, sizeof(err))) {
				fprintf(stderr, "steplab run: --reentry %s\n", err);
				return EXIT_USAGE;
			}
			break;
		case 'k': o->known_file = optarg; break;
		case 'q': o->quiet = true; break;
		case 'h': run_usage(stdout); return -1;
		default:
			if (optopt && strchr("gmsnbocErkTW", optopt))
				fprintf(stderr, "steplab run: %s needs a value (see 'steplab run --help')\n",
					argv[optind - 1]);
			else
				fprintf(stderr, "steplab run: unknown option '%s' (see 'steplab run --help')\n",
					argv[optind - 1]);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "steplab run: unexpected argument '%s'\n", argv[optind]);
		return EXIT_USAGE;
	}
	if (o->marker_every && !o->marker) {
		fprintf(stderr, "steplab run: --marker-every needs --marker\n");
		return EXIT_USAGE;
	}
	return 0;
}

static void on_marker(void *arg)
{
	/* a failed toggle is counted in the marker and reported after the run */
	marker_toggle(arg);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A terminal that can redraw a line: not a serial console without TERM. */
static bool progress_tty(void)
{
	const char *term = getenv("TERM");

	return isatty(2) && term && *term && strcmp(term, "dumb");
}

struct progress {
	double start, last, program_start;
	uint64_t last_tenth;
	bool quiet;
	bool tty;		/* stderr is a terminal: draw a bar */
	bool drawn;		/* a bar is on the line */
};

static void on_progress(const struct run_program *rp, const struct run_result *res,
			void *arg)
{
	struct progress *pr = arg;
	uint64_t planned = rp->planned ? rp->planned : 1;
	uint64_t tenth = rp->steps * 10 / planned;
	double t = now_s(), rate = (double)rp->steps / (t - pr->program_start + 1e-9);
	char bar[32];
	unsigned int i, fill = (unsigned int)(rp->steps * 24 / planned);

	if (pr->quiet)
		return;
	if (pr->tty) {
		/* a bar on a terminal, redrawn in place */
		for (i = 0; i < 24; i++)
			bar[i] = i < fill ? '#' : '.';
		bar[24] = '\0';
		fprintf(stderr, "\r%s [%s] %3u%% %" PRIu64 "/%" PRIu64 " steps, %.0f/s, ETA %.0f s, %"
			PRIu64 " non-conforming ", rp->name, bar, (unsigned int)(rp->steps * 100 / planned),
			rp->steps, planned, rate, rate > 0 ? (double)(planned - rp->steps) / rate : 0.0,
			res->nonconforming);
		pr->drawn = true;
		return;
	}
	/* otherwise a line every 5 s, or every tenth where time runs slowly (icount) */
	if (t - pr->last < 5 && tenth == pr->last_tenth)
		return;
	pr->last = t;
	pr->last_tenth = tenth;
	fprintf(stderr, "steplab run: %s: %" PRIu64 "/%" PRIu64 " steps, %" PRIu64
		" non-conforming, %.0f steps/s\n", rp->name, rp->steps, rp->planned,
		res->nonconforming, rate);
}

static int output_writable(const char *path)
{
	char *dup = strdup(path);
	int ok;

	if (!dup)
		return -ENOMEM;
	ok = access(dirname(dup), W_OK);
	free(dup);
	if (ok) {
		fprintf(stderr, "steplab run: %s: directory not writable: %s\n", path,
			strerror(errno));
		return -errno;
	}
	return 0;
}

static int build_programs(const struct run_opts *o, struct program *progs,
			  struct run_program *rps, unsigned int *n)
{
	static const char *const all[] = { "every", "trapped", "untrapped" };
	const char *const *names = o->nguests ? o->guests : all;
	unsigned int count = o->nguests ? o->nguests : (o->mix ? 0 : 3), i;
	char err[256];
	struct mix m;

	*n = 0;
	for (i = 0; i < count; i++, (*n)++) {
		program_init(&progs[*n], names[i]);
		if (program_add_fixed(&progs[*n], names[i])) {
			fprintf(stderr, "steplab run: --guest '%s': no such program (see 'steplab catalog')\n",
				names[i]);
			return -EINVAL;
		}
		snprintf(rps[*n].name, sizeof(rps[*n].name), "%s", names[i]);
	}
	if (!o->mix)
		return 0;
	if (mix_parse(o->mix, &m, err, sizeof(err))) {
		fprintf(stderr, "steplab run: --mix: %s\n", err);
		return -EINVAL;
	}
	program_init(&progs[*n], "mix");
	if (program_add_mix(&progs[*n], &m, o->seed, mix_layout_steps(o->steps))) {
		fprintf(stderr, "steplab run: --mix: out of memory\n");
		return -ENOMEM;
	}
	/* Run exactly --steps: the layout holds more (mix_layout_steps()). */
	progs[*n].steps = o->steps;
	snprintf(rps[*n].name, sizeof(rps[*n].name), "mix");
	snprintf(rps[*n].spec, sizeof(rps[*n].spec), "%s", o->mix);
	rps[*n].seed = o->seed;
	(*n)++;
	return 0;
}

/* The same program under the bare stepper, in a VM of its own. */
static int run_bare(const struct program *p, const struct engine_opts *eo,
		    struct run_program *rp, char *err, size_t len)
{
	struct engine_opts bare = *eo;
	struct run_program brp;
	struct run_result *scratch = calloc(1, sizeof(*scratch));
	int ret, pass;

	if (!scratch)
		return -ENOMEM;
	run_result_init(scratch);
	bare.progress = NULL;
	bare.trace = NULL;
	for (pass = BARE_PLAIN, ret = 0; pass <= BARE_COUNTER_READS && !ret; pass++) {
		memset(&brp, 0, sizeof(brp));
		snprintf(brp.name, sizeof(brp.name), "%s (bare)", rp->name);
		bare.bare = pass;
		ret = engine_run(p, &bare, scratch, &brp, err, len);
		if (pass == BARE_PLAIN)
			rp->bare_host = brp.total[M_HOST_INSNS];
		else
			rp->bare_reads_host = brp.total[M_HOST_INSNS];
		rp->bare_steps = brp.steps;
	}
	run_result_free(scratch);
	free(scratch);
	return ret;
}

struct trace {
	char tmp[4096];
	FILE *f;
};

/* The trace lands whole or not at all, like the report. */
static int trace_open(struct trace *t, const char *path)
{
	int fd;

	t->f = NULL;
	if (!path)
		return 0;
	snprintf(t->tmp, sizeof(t->tmp), "%s.tmp.XXXXXX", path);
	fd = mkstemp(t->tmp);
	if (fd < 0 || !(t->f = fdopen(fd, "w"))) {
		fprintf(stderr, "steplab run: --trace %s: %s\n", path, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(t->tmp);
		}
		return -errno;
	}
	engine_trace_header(t->f);
	return 0;
}

static int trace_close(struct trace *t, const char *path, bool keep)
{
	int bad;

	if (!t->f)
		return 0;
	bad = fflush(t->f) || ferror(t->f) || fsync(fileno(t->f));
	bad |= fclose(t->f);
	if (bad || !keep || rename(t->tmp, path)) {
		if (keep)
			fprintf(stderr, "steplab run: --trace %s: %s\n", path, strerror(errno));
		unlink(t->tmp);
		return keep ? -EIO : 0;
	}
	return 0;
}

static int run_programs(const struct run_opts *o, struct program *progs,
			unsigned int nprogs, struct counters *ctr,
			const struct board *b, struct run_result *res,
			const struct kind_run *kr, FILE *trace, char *err, size_t len)
{
	struct progress pr = { .start = now_s(), .quiet = o->quiet, .tty = progress_tty() };
	struct engine_opts eo = {
		.counters = ctr, .expect = b->expect, .stop = &stop_requested,
		.progress = on_progress, .arg = &pr, .trace = trace,
		.cpus = kr->checked ? &kr->pe.cpus : NULL,
		.marker = o->mark ? on_marker : NULL, .marker_arg = o->mark,
		.marker_every = o->marker_every, .reentry = o->reentry,
		.known = o->known,
	};
	unsigned int i;
	int ret = 0;

	pr.last = pr.start;
	for (i = 0; i < nprogs && !ret; i++) {
		if (!o->quiet)
			fprintf(stderr, "steplab run: %s on cpu %u (%s): %" PRIu64 " steps\n",
				res->progs[i].name, kr->pe.cpu, kr->pe.label, progs[i].steps);
		res->nprogs = i + 1;
		pr.last_tenth = 0;
		pr.program_start = now_s();
		if (o->overhead && eo.counters)
			ret = run_bare(&progs[i], &eo, &res->progs[i], err, len);
		if (!ret)
			ret = engine_run(&progs[i], &eo, res, &res->progs[i], err, len);
		if (pr.drawn) {
			fputc('\n', stderr);
			pr.drawn = false;
		}
	}
	return ret;
}

static int run_report(const struct run_opts *o, int argc, char **argv,
		      const struct board *b, const struct kinds *k,
		      struct run_result *res, int ret, const char *err)
{
	struct run_context ctx;
	struct report_input in = {
		.ctx = &ctx, .board = b, .res = res, .argc = argc, .argv = argv,
		.have = k->runs[0].have, .why = k->runs[0].why, .kinds = k,
		.status = ret == -EINTR ? "interrupted" : ret ? "failed" : "complete",
		.error = ret && ret != -EINTR ? err : NULL,
		.marker = o->mark ? board_gpio_get(b, BOARD_GPIO_MARKER) : NULL,
		.marker_toggles = o->mark ? o->mark->toggles : 0,
		.marker_every = o->marker_every, .known = o->known,
	};
	char werr[512];
	json_t *doc;
	int status;

	if (ret == -EINTR && !res->stopped[0])
		stop_reason(o, res->stopped, sizeof(res->stopped));

	context_read(&ctx);
	doc = report_build(&in);
	if (!doc) {
		fprintf(stderr, "steplab run: building the report failed\n");
		return EXIT_ERROR;
	}
	if (report_write(o->output, doc, werr, sizeof(werr))) {
		fprintf(stderr, "steplab run: %s\n", werr);
		json_decref(doc);
		return EXIT_ERROR;
	}
	if (!o->quiet)
		report_print_summary(doc, stdout);
	printf("report: %s\n", o->output);
	json_decref(doc);
	if (ret && ret != -EINTR) {
		fprintf(stderr, "steplab run: %s\n", err);
		status = EXIT_ERROR;
	} else if (res->nonconforming > res->known || ret) {
		status = EXIT_NONCONFORMING;
	} else {
		status = res->unproven ? EXIT_UNPROVEN : EXIT_OK;
	}
	return status;
}

static const char no_counters_why[] = "--no-counters";

/*
 * Runs every program once per planned kind (or core): pinned, with that
 * kind's counters, into a result of its own; the report's top level is
 * their sum.
 */
static int run_kinds(const struct run_opts *o, struct program *progs, unsigned int nprogs,
		     const struct board *b, struct kinds *k, struct run_result *res,
		     FILE *trace, char *err, size_t len)
{
	struct run_program template[sizeof(res->progs) / sizeof(res->progs[0])];
	struct counters ctr;
	unsigned int i, m;
	int ret = 0, cret;

	/* names, mixes and seeds, before any counts are added to res */
	memcpy(template, res->progs, sizeof(template));
	for (i = 0; i < k->nr && !ret && !stop_requested; i++) {
		struct kind_run *kr = &k->runs[i];

		kr->res = calloc(1, sizeof(*kr->res));
		if (!kr->res)
			return -ENOMEM;
		run_result_init(kr->res);
		memcpy(kr->res->progs, template, sizeof(template));
		ret = kinds_pin((int)kr->pe.cpu);
		if (ret < 0) {
			snprintf(err, len, "pinning to cpu %u: %s", kr->pe.cpu, strerror(-ret));
			return ret;
		}
		/* a heterogeneous machine has no working generic events */
		kr->raw_events = k->topo_ok && k->topo.heterogeneous && kr->pe.pmu_type >= 0;
		cret = o->counters ? counters_open_with(&ctr, kr->raw_events ? kr->pe.pmu_type : -1,
							o->perturbations ? COUNTERS_ON_REQUEST : 0)
				   : -ENOENT;
		if (o->counters && cret)
			fprintf(stderr, "steplab run: cpu %u: no counters (%s); steps without them "
				"are unproven\n", kr->pe.cpu, strerror(-cret));
		if (!cret)
			run_guest_counting_check(&ctr, b);
		kr->have = engine_metrics(cret ? NULL : &ctr);
		for (m = 0; m < M_COUNTERS; m++)
			snprintf(kr->why[m], sizeof(kr->why[m]), "%s",
				 !o->counters ? no_counters_why : cret ? strerror(-cret) : ctr.why[m]);
		ret = run_programs(o, progs, nprogs, cret ? NULL : &ctr, b, kr->res, kr,
				   trace, err, len);
		if (!cret)
			counters_close(&ctr);
		cret = run_result_merge(res, kr->res);
		if (cret && !ret) {
			snprintf(err, len, "adding up results: %s", strerror(-cret));
			ret = cret;
		}
	}
	if (!ret && stop_requested)
		ret = -EINTR;
	return ret;
}

int cmd_run(int argc, char **argv)
{
	struct program progs[MAX_PROGRAMS + 1];
	struct kinds kinds = { .nr = 0 };
	struct trace trace = { .f = NULL };
	struct marker mark = { .toggles = 0 };
	struct run_result *res;
	struct run_opts o;
	struct board b;
	unsigned int nprogs = 0, i;
	char err[512] = "";
	int ret, status;

	ret = run_parse(argc, argv, &o);
	if (ret)
		return ret < 0 ? EXIT_OK : ret;
	if (o.board) {
		ret = board_load(o.board, &b, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "steplab run: %s\n", err);
			return EXIT_USAGE;
		}
	} else {
		board_defaults(&b);
	}
	if (o.known_file) {
		struct utsname u;

		o.known = calloc(1, sizeof(*o.known));
		if (!o.known)
			return EXIT_ERROR;
		ret = known_load(o.known_file, o.known, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "steplab run: --known %s\n", err);
			free(o.known);
			return EXIT_USAGE;
		}
		known_for_kernel(o.known, uname(&u) ? "" : u.release);
	}
	if (o.marker && !o.board) {
		fprintf(stderr, "steplab run: --marker needs --board FILE with a marker line\n");
		return EXIT_USAGE;
	}
	if (o.marker && !board_gpio_get(&b, BOARD_GPIO_MARKER)) {
		fprintf(stderr, "steplab run: --marker: board %s (%s) names no marker line "
			"(a gpio entry with role marker)\n", b.name, o.board);
		return EXIT_USAGE;
	}
	res = calloc(1, sizeof(*res));
	if (!res)
		return EXIT_ERROR;
	run_result_init(res);
	/* Bad input is reported before anything about this host. */
	if (build_programs(&o, progs, res->progs, &nprogs) || output_writable(o.output) ||
	    (o.trace && output_writable(o.trace))) {
		status = EXIT_USAGE;
		goto out;
	}
	if (arch_unsupported()) {
		fprintf(stderr, "steplab run: %s (this is %s); run it on the emulated board: "
			"tools/qemu-board -- run ...\n", arch_unsupported(), arch_name());
		status = EXIT_SKIP;
		goto out;
	}
	if (access("/dev/kvm", R_OK | W_OK)) {
		fprintf(stderr, "steplab run: /dev/kvm: %s; this host cannot run KVM guests\n",
			strerror(errno));
		status = EXIT_SKIP;
		goto out;
	}
	/* found once the input is good and this host can run guests */
	if (!o.board)
		run_board_pick(&b);
	ret = kinds_plan(&kinds, o.all_cores, o.cpu, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "steplab run: %s\n", err[0] ? err : strerror(-ret));
		status = ret == -ENODEV ? EXIT_USAGE : EXIT_ERROR;
		goto out;
	}
	if (o.marker) {
		ret = marker_open(&b, &mark, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "steplab run: --marker: %s\n", err);
			status = EXIT_USAGE;
			goto out;
		}
		o.mark = &mark;
	}
	stop_signals_install(o.timeout);
	if (trace_open(&trace, o.trace)) {
		status = EXIT_USAGE;
		goto out;
	}
	ret = run_kinds(&o, progs, nprogs, &b, &kinds, res, trace.f, err, sizeof(err));
	status = run_report(&o, argc, argv, &b, &kinds, res, ret, err);
	if (mark.failed) {
		fprintf(stderr, "steplab run: --marker: %" PRIu64 " toggles of %s failed: %s\n",
			mark.failed, mark.line.path, strerror(-mark.error));
		status = EXIT_ERROR;
	}
	if (trace_close(&trace, o.trace, status != EXIT_ERROR || res->steps) && status == EXIT_OK)
		status = EXIT_ERROR;
out:
	marker_close(&mark);
	kinds_free(&kinds);
	for (i = 0; i < nprogs; i++)
		program_free(&progs[i]);
	run_result_free(res);
	free(res);
	free(o.known);
	return status;
}
