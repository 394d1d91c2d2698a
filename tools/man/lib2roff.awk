# lib2roff.awk - writes libscmclient(3) from the sources of what it documents, so the page cannot
# drift: the export list's SCMSHIM_1 names (shim/symbols.txt), each one's declaration and the
# comment above it (include/scm_client.h, include/scm_shim.h), the headers' structs, return and
# error codes, and README.md's table of the variables the library reads.
#   awk -v version=X.Y.Z -f roff.awk -f lib2roff.awk symbols.txt scm_client.h scm_shim.h README.md

# README's Markdown: code spans in bold, links as their text, the few non-ASCII signs as roff's.
function md(s,    out) {
    s = esc(s)
    while (match(s, /\[[^]]*\]\([^)]*\)/)) {
        out = substr(s, RSTART + 1)
        sub(/\]\(.*/, "", out)
        s = substr(s, 1, RSTART - 1) out substr(s, RSTART + RLENGTH)
    }
    while (match(s, /`[^`]*`/))
        s = substr(s, 1, RSTART - 1) "\\fB" substr(s, RSTART + 1, RLENGTH - 2) "\\fR" \
            substr(s, RSTART + RLENGTH)
    gsub(/→/, "\\(->", s)
    gsub(/–/, "\\(en", s)
    gsub(/—/, "\\(em", s)
    gsub(/…/, "...", s)
    return s
}

function out(section, text) {
    body[section] = body[section] text "\n"
}

# A group: the comment right above one or more declarations, which it describes together.
function flush_group(    i) {
    if (ndecl > 0) {
        out(file, ".PP\n.nf")
        for (i = 1; i <= ndecl; i++)
            out(file, "\\fB" esc(decl[i]) "\\fR")
        out(file, ".fi")
        if (comment != "")
            out(file, comment)
    }
    ndecl = 0
    comment = ""
}

FNR == 1 { file++ }

# symbols.txt: the names the SCMSHIM_1 version node exports.
file == 1 && /^scm_[a-z0-9_]+[ \t]+(frozen|public)/ {
    exported[$1] = 1
    order[++nexported] = $1
    next
}
file == 1 { next }

# ---- the two headers (file 2 and 3) ----
file <= 3 && incomment {
    line = $0
    done = sub(/\*\/.*/, "", line)
    sub(/^ *\* ?/, "", line)
    if (line != "")
        comment = comment esc(line) "\n"
    if (done)
        incomment = 0
    next
}
# The error table: "X(NAME, SCM_E_*, "default message")".
file == 3 && /^ *X\([A-Z_]+, SCM_E_[A-Z_]+, "/ {
    line = $0
    sub(/^ *X\(/, "", line)
    split(line, f, ", ")
    message = line
    sub(/^[^"]*"/, "", message)
    sub(/".*/, "", message)
    out("errors", ".TP\n.B SCMSHIM." f[1] "\n" f[2] ": " esc(message))
}
file <= 3 && continued {
    continued = /\\$/
    next
}
# Return codes: "#define SCM_E_NAME n /* meaning */".
file == 2 && /^#define SCM_(OK|E_[A-Z_]+) +[0-9]+/ {
    line = $0
    meaning = ""
    if (match(line, /\/\*.*\*\//))
        meaning = substr(line, RSTART + 3, RLENGTH - 6)
    sub(/ *$/, "", meaning)
    out("codes", ".TP\n.BR " $2 " \" (" $3 ")\"\n" (meaning != "" ? esc(meaning) : "\\&"))
}
file <= 3 && /\\$/ {
    continued = 1
}
file <= 3 && /^ *\/\*/ {
    flush_group()
    line = $0
    sub(/^ *\/\* ?/, "", line)
    done = sub(/ *\*\/.*/, "", line)
    if (line != "")
        comment = esc(line) "\n"
    incomment = !done
    next
}
file <= 3 && /^$/ {
    flush_group()
    next
}
# A struct is shown whole, after its comment; an enum is generated from a table shown elsewhere.
file <= 3 && intype {
    intype = !/^}/
    if (shown_struct)
        out("types" file, esc($0) (intype ? "" : "\n.fi"))
    next
}
file <= 3 && /^typedef (struct|enum) [a-z_]+ *\{/ {
    shown_struct = $2 == "struct"
    if (shown_struct)
        out("types" file, ".PP\n" comment ".nf\n" esc($0))
    intype = 1
    comment = ""
    next
}
# A declaration of an exported function, perhaps over several lines.
file <= 3 && (indecl || /^[a-z].*scm_[a-z0-9_]+\(/ && !/^typedef/) {
    line = $0
    if (indecl) {
        sub(/^ +/, " ", line)
        decl[ndecl] = decl[ndecl] line
    } else {
        decl[++ndecl] = line
    }
    indecl = line !~ /;/
    if (!indecl) {
        name = decl[ndecl]
        sub(/ *\(.*/, "", name)
        sub(/.*[ *]/, "", name)
        if (!(name in exported)) {
            ndecl--
            next
        }
        gsub(/  +/, " ", decl[ndecl])
        documented[name] = 1
    }
    next
}
file <= 3 {
    if (ndecl == 0)
        comment = ""
    next
}

# ---- README.md: the variables' table of "Using the library" ----
/^## / {
    inusing = /^## Using the library/
}
inusing && /^\| `[A-Z]/ {
    line = $0
    sub(/^\| /, "", line)
    sub(/ \|$/, "", line)
    i = index(line, " | ")
    out("env", ".TP\n" md(substr(line, 1, i - 1)) "\n" md(substr(line, i + 3)))
}

END {
    for (i = 1; i <= nexported; i++)
        if (!(order[i] in documented)) {
            print "lib2roff.awk: " order[i] " is exported but declared in neither header" > "/dev/stderr"
            failed = 1
        }
    if (failed)
        exit 1
    print ".TH LIBSCMCLIENT 3 \"\" \"scmshim " version "\" \"Library Functions Manual\""
    print ".nh\n.ad l"
    print ".SH NAME"
    print "libscmclient \\- the legacy SCM certificate client, served by the v3 API"
    print ".SH SYNOPSIS\n.nf"
    print ".B #include <scm_client.h>\n.B #include <scm_shim.h>\n.PP"
    print "Link with \\fI\\-lscmclient\\fR (\\fBpkg\\-config \\-\\-cflags \\-\\-libs scmshim\\fR, or"
    print "CMake's \\fBfind_package(scmshim)\\fR and \\fBscmshim::scmclient\\fR).\n.fi"
    print ".SH DESCRIPTION"
    print "\\fBlibscmclient.so.1\\fR serves programs written against the legacy \"query certificate"
    print "details\" C interface of Huawei Cloud's SSL Certificate Manager (SCM): the frozen"
    print "\\fBscm_client.h\\fR calls, symbol for symbol and struct for struct, answered by"
    print "\\fBGET /v3/scm/certificates/{id}\\fR through a mapping table that rebuilds the legacy"
    print "layout, or by the legacy v2 API (\\fBSCM_SHIM_BACKEND\\fR). \\fBscm_shim.h\\fR adds"
    print "per\\-field reports, the offline conversion and configuration in code."
    print ".SH \"FROZEN INTERFACE\""
    print "Declared in \\fBscm_client.h\\fR, which never changes."
    printf "%s%s", body["types2"], body[2]
    print ".SH ADDITIONS"
    print "Declared in \\fBscm_shim.h\\fR."
    printf "%s%s", body["types3"], body[3]
    print ".SH \"RETURN VALUE\""
    print "Every call returning \\fBint\\fR returns one of:"
    printf "%s", body["codes"]
    print ".SH ERRORS"
    print "\\fBscm_client_error_code\\fR() gives the service's \\fBerror_code\\fR when the answer"
    print "carried one, else one of these, with the return code it comes with and its message:"
    printf "%s", body["errors"]
    print ".SH ENVIRONMENT"
    print "Read when a client is created (\\fBSCM_SHIM_LOG\\fR: once per process); members of"
    print "\\fBscm_shim_client_options\\fR replace them."
    printf "%s", body["env"]
    print ".SH \"SEE ALSO\""
    print ".BR scm-shim (1)"
}
