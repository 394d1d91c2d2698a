/*
 * report_html.h - `scm-shim audit --format html FILE`: the audit summary as one
 * self-contained page a person opens to decide whether to switch.
 */
#ifndef SCM_SHIM_REPORT_HTML_H
#define SCM_SHIM_REPORT_HTML_H

#include "summary.h"

/*
 * Takes the FILE of each `--format html FILE` out of argv (shortening *argc), so the option
 * table sees `--format html` as any other format, and keeps it in o->page (the last one given
 * wins). CLI_OK, or CLI_USAGE (said) when FILE is missing or looks like an option.
 */
int report_html_take_page(int *argc, char **argv, summary_opts *o);

/*
 * Writes s as the page to path (the table in force gives each field's rule and class) and says
 * where on stderr: CLI_OK, CLI_USAGE when there is no path or the table or the file is unusable,
 * CLI_FAIL on OOM. summary_finish calls it for SUMMARY_HTML.
 */
int report_html_write(const summary *s, const summary_opts *o, const char *path);

#endif
