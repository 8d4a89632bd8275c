/* SPDX-License-Identifier: GPL-2.0 */
/* The subcommands, and the exit statuses they share. */
#ifndef STEPLAB_CLI_H
#define STEPLAB_CLI_H

enum {
	EXIT_OK		= 0,
	EXIT_NONCONFORMING = 1,	/* ran, and some step did not conform */
	EXIT_USAGE	= 2,	/* bad command line or input file */
	EXIT_ERROR	= 3,	/* could not run: KVM or I/O failed */
	EXIT_SKIP	= 4,	/* this host lacks what the command needs */
	EXIT_UNPROVEN	= 5,	/* ran, no step failed, but some lacked evidence */
};

int cmd_run(int argc, char **argv);
int cmd_checklist(int argc, char **argv);
int cmd_stress(int argc, char **argv);
int cmd_catalog(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_baseline(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_board(int argc, char **argv);
int cmd_topology(int argc, char **argv);
int cmd_dashboard(int argc, char **argv);
int cmd_export(int argc, char **argv);

#endif
