/*
 * report_html.h - `scm-shim audit --format html FILE`: the audit summary as one
 * self-contained page a person opens to decide whether to switch.
 */
#ifndef SCM_SHIM_REPORT_HTML_H
#define SCM_SHIM_REPORT_HTML_H

#include "summary.h"

/*
 * Takes `--format html FILE` at argv[*i] (advancing *i) into *file: CLI_TAKEN, or CLI_USAGE
 * (said) without a FILE. Any other --format clears *file (the last one given wins) and, like
 * every other argument, is CLI_NOT_OURS.
 */
int report_html_option(const char **file, int argc, char **argv, int *i);

/*
 * Writes s as the page to path (the table in force gives each field's rule and class), says
 * where on stderr, and returns summary_finish's exit status; CLI_USAGE when the table or the
 * file is unusable, CLI_FAIL on OOM.
 */
int report_html_finish(const summary *s, const summary_opts *o, const char *path);

#endif
