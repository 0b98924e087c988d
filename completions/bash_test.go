package completions

import (
	"os/exec"
	"strings"
	"testing"
)

// bashComplete drives the bash script as readline would: COMP_WORDS holds
// the typed words (an empty last word when the line ends in a space) and
// COMP_CWORD points at the last one; the function's COMPREPLY is returned.
func bashComplete(t *testing.T, script, dir, line string) []string {
	t.Helper()
	words := strings.Fields(line)
	if strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = singleQuote(w)
	}
	prog := `source "$1" || exit 1
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE=` + singleQuote(line) + `
COMP_POINT=${#COMP_LINE}
_mqtap
printf '%s\n' "${COMPREPLY[@]}"`
	cmd := exec.Command("bash", "--norc", "--noprofile", "-c", prog, "bash", script)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("bash %q: %v\n%s", line, err, out)
	}
	return strings.Fields(string(out))
}

func TestBashCompletion(t *testing.T) {
	script := fixtureScript(t, "bash")
	dir := fileTree(t)
	for _, c := range append(append([]completionCase{}, sharedCases...), fileCases...) {
		if got := bashComplete(t, script, dir, c.line); !sameSet(got, c.want) {
			t.Errorf("bash %q offers %q, want %q", c.line, got, c.want)
		}
	}
}

// The "=" in --qos=1 is split into a word of its own by readline.
func TestBashCompletionAfterEquals(t *testing.T) {
	script := fixtureScript(t, "bash")
	got := bashComplete(t, script, t.TempDir(), "mqtap pub --qos = ")
	if !sameSet(got, []string{"0", "1", "2"}) {
		t.Errorf("after --qos= bash offers %q", got)
	}
	got = bashComplete(t, script, t.TempDir(), "mqtap pub --qos = 1 -")
	if len(got) == 0 || got[0] != "--topic" {
		t.Errorf("after --qos=1 bash offers %q, want the flags", got)
	}
}
