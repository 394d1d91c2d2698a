# roff.awk - what both man page writers share (help2roff.awk, lib2roff.awk): roff escaping.

# Roff-safe text: backslashes and hyphens escaped, no control character at a line's start.
function esc(s) {
    gsub(/\\/, "\\e", s)
    gsub(/-/, "\\-", s)
    if (s ~ /^[.']/)
        s = "\\&" s
    return s
}
