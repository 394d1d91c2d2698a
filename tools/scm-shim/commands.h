/*
 * commands.h - the one table of scm-shim's commands, their options and the environment
 * variables each honours: it drives the usage, every --help, option recognition and the bash
 * completion script.
 */
#ifndef SCM_SHIM_COMMANDS_H
#define SCM_SHIM_COMMANDS_H

#include <stdio.h>

/* Every command, in the order `scm-shim --help` lists them; each is run by cmd_<name>(). */
#define CLI_COMMANDS(X)                                                                            \
    X(get) X(convert) X(mapping) X(audit) X(diff) X(doctor) X(capture) X(version)

#define CLI_DECLARE_COMMAND(name) int cmd_##name(int argc, char **argv);
CLI_COMMANDS(CLI_DECLARE_COMMAND)
#undef CLI_DECLARE_COMMAND

/* What a command uses, beyond its own options: option groups and the variables they bring. */
#define CLI_USES_CLIENT 1u  /* makes a client: connection options, the library's variables */
#define CLI_USES_SUMMARY 2u /* the audit summary's output options */
#define CLI_USES_MAPPING 4u /* the mapping table (SCM_SHIM_MAPPING) */
#define CLI_USES_CAPTURE 8u /* the capture store (SCM_SHIM_CAPTURE) */
#define CLI_USES_LOG 16u    /* the library's diagnostics (SCM_SHIM_LOG) */
#define CLI_TAKES_FILES 32u /* its operands are files (for the completion) */

typedef struct cli_option {
    const char *name; /* "--format" */
    const char *arg;  /* its value ("FILE"), NULL for a flag */
    const char *doc;  /* one line */
} cli_option;

typedef struct cli_command {
    const char *name;
    const char *synopsis;      /* after "scm-shim NAME ": one line per form, '\n' between them */
    const char *summary;       /* one line for `scm-shim --help` */
    const char *about;         /* the help's paragraphs */
    const cli_option *options; /* its own, up to one with a NULL name */
    unsigned uses;             /* CLI_USES_* and CLI_TAKES_FILES */
} cli_command;

/* The command called name, or NULL. */
const cli_command *cli_command_find(const char *name);

/* `scm-shim --help`: every command, one per line as "  NAME  summary", and every variable. */
void cli_usage(FILE *out);

/* A command's --help: the "usage: scm-shim NAME ..." line, its options and its variables. */
void cli_command_help(const cli_command *c, FILE *out);

/* argv walked against a command's table, by cli_next. */
typedef struct cli_args {
    const cli_command *cmd;
    int argc;
    char **argv;
    int i;
} cli_args;

/* What cli_next returns besides CLI_OK (help printed) and CLI_USAGE (reported). */
#define CLI_NEXT (-3)
#define CLI_END (-4)

/*
 * The next argument of argv[1..]: CLI_NEXT with *opt the table's option and *value its
 * argument (NULL for a flag), or *opt NULL and *value an operand ("-" is one); CLI_END after
 * the last. -h and --help print the command's help on stdout and give CLI_OK; an unknown
 * option or one without its value is reported in one line and gives CLI_USAGE.
 */
int cli_next(cli_args *a, const cli_option **opt, const char **value);

/* Whether opt is the table's option called name. */
int cli_is(const cli_option *opt, const char *name);

/* NULL when the table lists variable name; else the closest one it lists, or "". */
const char *cli_variable_unknown(const char *name);

/* Reports an unknown command in one line, with the closest one; CLI_USAGE. */
int cli_unknown_command(const char *name);

/* Reports a usage error of command cmd in one line with the hint to its help; CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The bash completion script for every command and option (`scm-shim completion bash`). */
void cli_completion_bash(FILE *out);

#endif
