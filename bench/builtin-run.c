// SPDX-License-Identifier: GPL-2.0
/* steplab run: bring up, run every program, write the report. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
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
#include "host/overhead.h"
#include "host/run-prep.h"
#include "lib/board.h"
#include "lib/context.h"
#include "lib/file.h"
#include "lib/gpio.h"
#include "lib/known.h"
#include "lib/opt.h"
#include "lib/progress.h"
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
	bool syscall_reads;	/* the hardware counters by read(2) */
	uint64_t observe_every;
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

static void stop_reason(const struct run_opts *o, char *buf, size_t len)
{
	if (run_stop_signal == SIGALRM)
		snprintf(buf, len, "watchdog: --timeout %u s elapsed", o->timeout);
	else
		snprintf(buf, len, "stopped by %s", strsignal(run_stop_signal));
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
"      --counter-reads user|syscall\n"
"                       how the hardware counters are read per KVM_RUN:\n"
"                       from user space where the kernel allows it (arm64\n"
"                       kernel.perf_user_access=1; the default), or read(2)\n"
"      --observe-every N\n"
"                       count guest entries and exits (kvm:kvm_entry/exit)\n"
"                       on every Nth step, the first 4 of each class and\n"
"                       every step off the plain path (default 512; 1: all)\n"
"      --overhead       first step each program with a bare stepper (KVM_RUN\n"
"                       and the PC only), then with steplab's counter reads\n"
"                       added, then with steplab on the plain path alone,\n"
"                       and report steplab's overhead\n"
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
"      --print-suite    print the suite's mix (make run, make check, the\n"
"                       nightly run; stress's default) and exit\n"
"  -h, --help           this text\n\n"
"Exit status: 0 every step conformed and was proven (or only known\n"
"divergences, with --known), 1 some step did not conform, 2 bad input,\n"
"3 the run failed, 4 this host cannot run it (no arm64 KVM), 5 unproven: no\n"
"step failed, but some lacked the evidence their verdict needs (a counter\n"
"missing, --no-counters, or counters not running the whole window).\n");
}

static const struct option run_longopts[] = {
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
	{ "counter-reads", required_argument, NULL, 'R' },
	{ "observe-every", required_argument, NULL, 'V' },
	{ "trace", required_argument, NULL, 'T' },
	{ "all-cores", no_argument, NULL, 'A' },
	{ "timeout", required_argument, NULL, 'W' },
	{ "marker", no_argument, NULL, 'M' },
	{ "marker-every", required_argument, NULL, 'E' },
	{ "reentry", required_argument, NULL, 'r' },
	{ "known", required_argument, NULL, 'k' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "print-suite", no_argument, NULL, 'S' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 }
};

/* The options that take a number; 0, or EXIT_USAGE when it is bad. */
static int run_number(int c, const char *arg, struct run_opts *o)
{
	uint64_t cpu;

	switch (c) {
	case 's':
		return opt_num("run", "--seed", arg, 0, UINT64_MAX, &o->seed) ? EXIT_USAGE : 0;
	case 'n':
		return opt_num("run", "--steps", arg, 1, 100000000, &o->steps) ? EXIT_USAGE : 0;
	case 'E':
		return opt_num("run", "--marker-every", arg, 1, 100000000, &o->marker_every) ?
		       EXIT_USAGE : 0;
	case 'W':
		return opt_uint("run", "--timeout", arg, 1, 86400 * 7, &o->timeout) ? EXIT_USAGE : 0;
	case 'V':
		return opt_num("run", "--observe-every", arg, 1, 100000000, &o->observe_every) ?
		       EXIT_USAGE : 0;
	default:
		if (opt_num("run", "--cpu", arg, 0, 4095, &cpu))
			return EXIT_USAGE;
		o->cpu = (int)cpu;
		return 0;
	}
}

/* One option; 0, -1 when it was all there is to do (--help), or EXIT_USAGE. */
static int run_option(int c, char **argv, struct run_opts *o)
{
	char err[160];

	switch (c) {
	case 'g':
		if (o->nguests == MAX_PROGRAMS) {
			fprintf(stderr, "steplab run: at most %d --guest\n", MAX_PROGRAMS);
			return EXIT_USAGE;
		}
		o->guests[o->nguests++] = optarg;
		return 0;
	case 's': case 'n': case 'c': case 'E': case 'W': case 'V':
		return run_number(c, optarg, o);
	case 'R':
		if (strcmp(optarg, "user") && strcmp(optarg, "syscall")) {
			fprintf(stderr, "steplab run: --counter-reads '%s': want user or syscall\n",
				optarg);
			return EXIT_USAGE;
		}
		o->syscall_reads = !strcmp(optarg, "syscall");
		return 0;
	case 'r':
		if (reentry_parse(optarg, &o->reentry, err, sizeof(err))) {
			fprintf(stderr, "steplab run: --reentry %s\n", err);
			return EXIT_USAGE;
		}
		return 0;
	case 'm': o->mix = optarg; return 0;
	case 'b': o->board = optarg; return 0;
	case 'o': o->output = optarg; return 0;
	case 'T': o->trace = optarg; return 0;
	case 'k': o->known_file = optarg; return 0;
	case 'C': o->counters = false; return 0;
	case 'P': o->perturbations = true; return 0;
	case 'O': o->overhead = true; return 0;
	case 'A': o->all_cores = true; return 0;
	case 'M': o->marker = true; return 0;
	case 'q': o->quiet = true; return 0;
	case 'S': printf("%s\n", SUITE_MIX); return -1;
	case 'h': run_usage(stdout); return -1;
	default:
		opt_bad("run", c, argv);
		return EXIT_USAGE;
	}
}

static int run_parse(int argc, char **argv, struct run_opts *o)
{
	int c, ret;

	*o = (struct run_opts) { .seed = 1, .steps = 10000, .counters = true, .cpu = -1,
				 .output = "steplab-report.json", .reentry = REENTRY_DEFAULT };
	opterr = 0;	/* one line of our own instead of getopt's */
	while ((c = getopt_long(argc, argv, ":g:m:s:n:b:o:c:r:k:qh", run_longopts, NULL)) != -1) {
		ret = run_option(c, argv, o);
		if (ret)
			return ret;
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

static int output_writable(const char *path)
{
	char err[4200];
	int ret = file_dir_writable(path, err, sizeof(err));

	if (ret)
		fprintf(stderr, "steplab run: %s\n", err);
	return ret;
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

static int run_programs(const struct run_opts *o, struct program *progs,
			unsigned int nprogs, struct counters *ctr,
			const struct board *b, struct run_result *res,
			const struct kind_run *kr, FILE *trace, char *err, size_t len)
{
	struct progress pr;
	struct engine_opts eo = {
		.counters = ctr, .expect = b->expect, .stop = &run_stop_requested,
		.progress = progress_show, .arg = &pr, .trace = trace,
		.cpus = kr->checked ? &kr->pe.cpus : NULL,
		.marker = o->mark ? on_marker : NULL, .marker_arg = o->mark,
		.marker_every = o->marker_every, .reentry = o->reentry,
		.observe_every = o->observe_every,
		.known = o->known,
	};
	unsigned int i;
	int ret = 0;

	progress_init(&pr, stderr, o->quiet);
	for (i = 0; i < nprogs && !ret; i++) {
		if (!o->quiet)
			fprintf(stderr, "steplab run: %s on cpu %u (%s): %" PRIu64 " steps\n",
				res->progs[i].name, kr->pe.cpu, kr->pe.label, progs[i].steps);
		res->nprogs = i + 1;
		progress_program(&pr);
		if (o->overhead && eo.counters)
			ret = overhead_measure(&progs[i], &eo, &res->progs[i], err, len);
		if (!ret)
			ret = engine_run(&progs[i], &eo, res, &res->progs[i], err, len);
		progress_end(&pr);
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
		.counter_reads = k->runs[0].reads, .counter_reads_why = k->runs[0].reads_why,
		.observe_every = o->observe_every ? o->observe_every : OBSERVE_EVERY,
	};
	char werr[512];
	unsigned int i;
	json_t *doc;
	int status;

	if (ret == -EINTR && !res->stopped[0])
		stop_reason(o, res->stopped, sizeof(res->stopped));
	for (i = 0; i < k->nr; i++)
		in.counter_fallbacks += k->runs[i].fallbacks;

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
	struct kind_open ko = { .b = b, .no_counters = !o->counters,
				.req = { .extra = o->perturbations ? COUNTERS_ON_REQUEST : 0,
					 .syscall_reads = o->syscall_reads } };
	struct counters ctr, *use;
	unsigned int i;
	int ret = 0, mret;

	/* names, mixes and seeds, before any counts are added to res */
	memcpy(template, res->progs, sizeof(template));
	for (i = 0; i < k->nr && !ret && !run_stop_requested; i++) {
		struct kind_run *kr = &k->runs[i];

		kr->res = calloc(1, sizeof(*kr->res));
		if (!kr->res)
			return -ENOMEM;
		run_result_init(kr->res);
		memcpy(kr->res->progs, template, sizeof(template));
		ret = kind_run_open(kr, k, &ko, &ctr, &use, err, len);
		if (ret)
			return ret;
		if (o->counters && !use)
			fprintf(stderr, "steplab run: cpu %u: no counters (%s); steps without them "
				"are unproven\n", kr->pe.cpu, kr->why[0]);
		ret = run_programs(o, progs, nprogs, use, b, kr->res, kr, trace, err, len);
		if (use)
			kr->fallbacks = use->fallbacks;
		kind_run_close(use);
		mret = run_result_merge(res, kr->res);
		if (mret && !ret) {
			snprintf(err, len, "adding up results: %s", strerror(-mret));
			ret = mret;
		}
	}
	if (!ret && run_stop_requested)
		ret = -EINTR;
	return ret;
}

/* The board file and the known divergences, read before anything about this host. */
static int run_inputs(struct run_opts *o, struct board *b)
{
	char err[512];
	struct utsname u;

	if (o->board ? board_load(o->board, b, err, sizeof(err)) : (board_defaults(b), 0)) {
		fprintf(stderr, "steplab run: %s\n", err);
		return EXIT_USAGE;
	}
	if (o->marker && !o->board) {
		fprintf(stderr, "steplab run: --marker needs --board FILE with a marker line\n");
		return EXIT_USAGE;
	}
	if (o->marker && !board_gpio_get(b, BOARD_GPIO_MARKER)) {
		fprintf(stderr, "steplab run: --marker: board %s (%s) names no marker line "
			"(a gpio entry with role marker)\n", b->name, o->board);
		return EXIT_USAGE;
	}
	if (!o->known_file)
		return 0;
	o->known = calloc(1, sizeof(*o->known));
	if (!o->known)
		return EXIT_ERROR;
	if (known_load(o->known_file, o->known, err, sizeof(err))) {
		fprintf(stderr, "steplab run: --known %s\n", err);
		return EXIT_USAGE;
	}
	known_for_kernel(o->known, uname(&u) ? "" : u.release);
	return 0;
}

/* Whether this host can run guests: 0, or EXIT_SKIP saying why not. */
static int run_host_check(void)
{
	if (arch_unsupported()) {
		fprintf(stderr, "steplab run: %s (this is %s); run it on the emulated board: "
			"tools/qemu-board -- run ...\n", arch_unsupported(), arch_name());
		return EXIT_SKIP;
	}
	if (access("/dev/kvm", R_OK | W_OK)) {
		fprintf(stderr, "steplab run: /dev/kvm: %s; this host cannot run KVM guests\n",
			strerror(errno));
		return EXIT_SKIP;
	}
	return 0;
}

/* Once the input is good and this host can run guests: the board, the kinds, the marker. */
static int run_setup(struct run_opts *o, struct board *b, struct kinds *k, struct marker *mark)
{
	char err[512] = "";
	int ret;

	if (!o->board)
		run_board_pick(b);
	ret = kinds_plan(k, o->all_cores, o->cpu, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "steplab run: %s\n", err[0] ? err : strerror(-ret));
		return ret == -ENODEV ? EXIT_USAGE : EXIT_ERROR;
	}
	if (!o->marker)
		return 0;
	if (marker_open(b, mark, err, sizeof(err))) {
		fprintf(stderr, "steplab run: --marker: %s\n", err);
		return EXIT_USAGE;
	}
	o->mark = mark;
	return 0;
}

/* Runs every program on every planned kind, writes the report; the exit status. */
static int run_measure(struct run_opts *o, int argc, char **argv, const struct board *b,
		       struct kinds *k, struct program *progs, unsigned int nprogs,
		       struct run_result *res)
{
	struct file_stream trace = { .f = NULL };
	char err[4200] = "";
	int ret, status;

	run_stop_signals_install(o->timeout);
	if (o->trace) {
		if (file_stream_open(&trace, o->trace, err, sizeof(err))) {
			fprintf(stderr, "steplab run: --trace %s\n", err);
			return EXIT_USAGE;
		}
		engine_trace_header(trace.f);
	}
	ret = run_kinds(o, progs, nprogs, b, k, res, trace.f, err, sizeof(err));
	status = run_report(o, argc, argv, b, k, res, ret, err);
	if (o->mark && o->mark->failed) {
		fprintf(stderr, "steplab run: --marker: %" PRIu64 " toggles of %s failed: %s\n",
			o->mark->failed, o->mark->line.path, strerror(-o->mark->error));
		status = EXIT_ERROR;
	}
	if (file_stream_close(&trace, o->trace, status != EXIT_ERROR || res->steps, err,
			      sizeof(err))) {
		fprintf(stderr, "steplab run: --trace %s\n", err);
		if (status == EXIT_OK)
			status = EXIT_ERROR;
	}
	return status;
}

int cmd_run(int argc, char **argv)
{
	struct program progs[MAX_PROGRAMS + 1];
	struct kinds kinds = { .nr = 0 };
	struct marker mark = { .toggles = 0 };
	struct run_result *res = NULL;
	struct run_opts o;
	struct board b;
	unsigned int nprogs = 0, i;
	int status;

	status = run_parse(argc, argv, &o);
	if (status)
		return status < 0 ? EXIT_OK : status;
	status = run_inputs(&o, &b);
	res = status ? NULL : calloc(1, sizeof(*res));
	if (!status && !res)
		status = EXIT_ERROR;
	if (status)
		goto out;
	run_result_init(res);
	/* Bad input is reported before anything about this host. */
	if (build_programs(&o, progs, res->progs, &nprogs) || output_writable(o.output) ||
	    (o.trace && output_writable(o.trace)))
		status = EXIT_USAGE;
	if (!status)
		status = run_host_check();
	if (!status)
		status = run_setup(&o, &b, &kinds, &mark);
	if (!status)
		status = run_measure(&o, argc, argv, &b, &kinds, progs, nprogs, res);
out:
	marker_close(&mark);
	kinds_free(&kinds);
	for (i = 0; i < nprogs; i++)
		program_free(&progs[i]);
	if (res)
		run_result_free(res);
	free(res);
	free(o.known);
	return status;
}
