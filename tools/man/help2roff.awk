# help2roff.awk - turns scm-shim's help texts into the roff of scm-shim(1); scm-shim-man.sh feeds
# it, per command, "@@command NAME", the command's lines of `scm-shim --help`, "@@help", then the
# output of `scm-shim NAME --help`. Blocks of options repeated word for word by a later command
# are referred to, not printed again.
#   awk -v version=X.Y.Z -f roff.awk -f help2roff.awk

function flush_item() {
    if (tag != "") {
        block = block ".TP\n.B " esc(tag) "\n" (desc != "" ? esc(desc) "\n" : "")
        tag = desc = ""
    }
}

# Ends the block under a heading: printed, or referred to when an earlier command printed it.
function flush_block() {
    flush_item()
    if (heading == "")
        return
    if (heading SUBSEP block in shown)
        print ".PP\n.B " esc(heading) "\nas for\n.BR " shown[heading SUBSEP block] " ."
    else {
        print ".PP\n.B " esc(heading)
        printf "%s", block
        shown[heading SUBSEP block] = command
    }
    heading = block = ""
}

function flush_para() {
    if (para != "") {
        print ".PP\n" esc(para)
        para = ""
    }
}

function flush_all() {
    flush_para()
    flush_block()
    if (usage)
        print ".fi"
    usage = 0
}

BEGIN {
    print ".TH SCM-SHIM 1 \"\" \"scmshim " version "\" \"User Commands\""
    print ".nh\n.ad l"
    print ".SH NAME"
    print "scm-shim \\- query, convert and audit SCM certificates through libscmclient"
    print ".SH SYNOPSIS"
    print ".B scm-shim\n.I COMMAND\n.RI [ OPTIONS ]\n.br"
    print ".B scm-shim\n.BR \\-\\-help \" | \" \\-\\-version \" | \" \\-V"
    print ".SH DESCRIPTION"
    print "\\fBscm-shim\\fR runs on the shipped \\fBlibscmclient.so.1\\fR, like a legacy"
    print "program, and configures it through \\fBscm_shim_client_options\\fR, never by setting"
    print "environment variables. \\fB\\-\\-version\\fR and \\fB\\-V\\fR are the"
    print "\\fBversion\\fR command. Each command's section below is its own \\fB\\-\\-help\\fR."
    print ".SH COMMANDS"
}

/^@@command / {
    flush_all()
    command = $2
    print ".SS " command "\n.nf"
    state = "top"
    next
}

/^@@help$/ {
    print ".fi"
    state = "first"
    next
}

state == "top" {
    sub(/^  /, "")
    print esc($0)
    next
}

# A command whose help is no usage text (version prints the version) keeps the list's line.
state == "first" {
    state = /^usage: / ? "help" : "skip"
}

state == "skip" { next }

/^usage: / || (usage && /^       /) {
    if (!usage)
        print ".nf"
    usage = 1
    print esc(substr($0, 8))
    next
}

{
    if (usage) {
        print ".fi"
        usage = 0
    }
}

# A heading ("Connection options:", "Environment (...):") starts a block of items.
/^[A-Z][A-Za-z ()]*:$/ {
    flush_para()
    flush_block()
    heading = $0
    next
}

# An option or variable: "  TAG  description"; a tag ending in "," continues on the next line.
/^  [^ ]/ && heading != "" {
    line = substr($0, 3)
    if (tag != "" && tag ~ /,$/ && desc == "")
        line = tag " " line
    else
        flush_item()
    if (match(line, /   */)) {
        tag = substr(line, 1, RSTART - 1)
        desc = substr(line, RSTART + RLENGTH)
    } else
        tag = line
    next
}

/^   / && tag != "" {
    sub(/^ +/, "")
    desc = desc " " $0
    next
}

# "Exit status: ..." opens a paragraph of its own; other lines continue the current one.
{
    flush_block()
    if (/^[A-Z][a-z ]*: /)
        flush_para()
    para = para (para != "" ? "\n" : "") $0
}

END {
    flush_all()
    print ".SH EXIT STATUS"
    print "0 success, 1 the command failed, 2 a usage or configuration error, 3 a go/no\\-go"
    print "command could not do all of its job; a command's section above says what each means for it."
    print ".SH SEE ALSO"
    print ".BR libscmclient (3)"
}
