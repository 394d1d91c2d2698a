#!/bin/sh
# The command as people use it, checked against its own table (tools/scm-shim/commands.c):
#   help.sh SCM_SHIM SOURCE_DIR COMPLETION
# - every command listed by `scm-shim --help` prints its help for -h and --help, on stdout, the
#   same, starting "usage: scm-shim NAME", exit 0;
# - an unknown option of any command is one line on stderr pointing at that help, exit 2;
# - the completion script offers each command exactly the options its help lists;
# - every variable named in a string of shim/*.c or tools/scm-shim/*.c is in `scm-shim --help`;
#   one named in cmd_NAME.c is in NAME's help, and one the library or cli.c reads is in the help
#   of every command that makes a client (those with connection options). Names the public
#   headers #define (SCM_SHIM_UNSET) are not variables; commands.c, the table, is not evidence.
set -u
shim=$1 src=$2 completion=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
failed=0
fail() {
    echo "FAIL $*"
    failed=$((failed + 1))
}

env -i PATH="$PATH" "$shim" --help >"$work/top" || fail "scm-shim --help exits $?"
commands=$(sed -n '/^Commands:/,/^Run /s/^  \([a-z][a-z-]*\) .*/\1/p' "$work/top")
[ -n "$commands" ] || fail "scm-shim --help lists no command"

for c in $commands; do
    env -i PATH="$PATH" "$shim" "$c" -h >"$work/$c.help" 2>"$work/$c.err" || fail "$c -h exits $?"
    env -i PATH="$PATH" "$shim" "$c" --help >"$work/$c.long" 2>>"$work/$c.err" ||
        fail "$c --help exits $?"
    cmp -s "$work/$c.help" "$work/$c.long" || fail "$c: -h and --help differ"
    [ ! -s "$work/$c.err" ] || fail "$c --help writes on stderr: $(head -1 "$work/$c.err")"
    head -1 "$work/$c.help" | grep -q "^usage: scm-shim $c\( \|$\)" ||
        fail "$c --help starts '$(head -1 "$work/$c.help")'"

    env -i PATH="$PATH" "$shim" "$c" --no-such-option >/dev/null 2>"$work/$c.unknown"
    rc=$?
    [ $rc -eq 2 ] || fail "$c --no-such-option exits $rc, not 2"
    [ "$(wc -l <"$work/$c.unknown")" -eq 1 ] || fail "$c --no-such-option: not one line on stderr"
    grep -q "'--no-such-option'.*'scm-shim $c --help'" "$work/$c.unknown" ||
        fail "$c --no-such-option: $(head -1 "$work/$c.unknown")"

    # The options of the help ("  --name ARG  doc", "  -h, --help  doc") and of the completion.
    sed -n 's/^  \(-[-a-z]*\)\(, \(--[a-z-]*\)\)\{0,1\}.*/\1 \3/p' "$work/$c.help" | tr ' ' '\n' |
        sed '/^$/d' | sort >"$work/$c.options"
    awk -v c="$c" '$0 == "    " c ")" { on = 1; next } on && /^        COMPREPLY=\(\$\(compgen -W/ {
        sub(/.*compgen -W "/, ""); sub(/".*/, ""); print; exit }' "$completion" | tr ' ' '\n' |
        sed '/^$/d' | sort >"$work/$c.completed"
    cmp -s "$work/$c.options" "$work/$c.completed" ||
        fail "$c: the completion offers $(tr '\n' ' ' <"$work/$c.completed")but the help lists $(tr '\n' ' ' <"$work/$c.options")"
done
grep -q "compgen -W \"$(echo $commands) --help\"" "$completion" ||
    fail "the completion's commands are not $(echo $commands)"
# The script as bash runs it: a value list after an option, a command's options after a prefix.
if command -v bash >/dev/null; then
    got=$(bash -c '. "$1"; COMP_WORDS=(scm-shim audit --format ""); COMP_CWORD=3; _scm_shim
        echo "${COMPREPLY[*]}"; COMP_WORDS=(scm-shim diff --f); COMP_CWORD=2; _scm_shim
        echo "${COMPREPLY[*]}"' sh "$completion" 2>&1)
    [ "$got" = "$(printf 'table json csv html\n--format --fail-on-mismatch')" ] ||
        fail "the completion under bash gives '$got'"
fi

# Variables: "file name" for each name inside a string literal (comments and char literals
# skipped), names ending in '_' (prefixes) and the public headers' macros left out.
grep -ohE '#define (SCM|HUAWEICLOUD_SDK)_[A-Z0-9_]+' "$src"/include/*.h | awk '{print $2}' |
    sort -u >"$work/macros"
perl -e '
    local $/;
    for my $f (@ARGV) {
        open my $fh, "<", $f or die "$f: $!";
        my $text = <$fh>;
        while ($text =~ m{(/\*.*?\*/|//[^\n]*|'"'"'(?:[^'"'"'\\\n]|\\.)*'"'"'|"((?:[^"\\\n]|\\.)*)")}gs) {
            next unless defined $2;
            my $lit = $2;
            while ($lit =~ /\b((?:SCM|HUAWEICLOUD_SDK)_[A-Z0-9_]+)/g) {
                print "$f $1\n" unless $1 =~ /_$/;
            }
        }
    }' $(ls "$src"/shim/*.c "$src"/tools/scm-shim/*.c | grep -v '/commands\.c$') |
    sort -u >"$work/named"
[ -s "$work/named" ] || fail "no variable found in the sources"
clients=$(for c in $commands; do grep -q '^Connection options' "$work/$c.help" && echo "$c"; done)
while read -r file name; do
    grep -qx "$name" "$work/macros" && continue
    grep -q "^  $name\( \|$\)" "$work/top" || fail "$name ($file) is not in scm-shim --help"
    case $(basename "$file") in
        cmd_*.c) where=$(basename "$file" .c | sed 's/^cmd_//') ;;
        *) where=$clients ;;
    esac
    for c in $where; do
        grep -q "^  $name\( \|$\)" "$work/$c.help" || fail "$name ($file) is not in $c --help"
    done
done <"$work/named"

echo "$(echo $commands | wc -w) commands checked, $(wc -l <"$work/named") variable names; $failed failed"
[ $failed -eq 0 ]
