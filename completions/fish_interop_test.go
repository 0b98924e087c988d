//go:build interop

package completions

import (
	"os/exec"
	"strings"
	"testing"
)

// fishComplete asks a real fish what it offers for line (complete -C) after
// sourcing script; fish prints "candidate<TAB>description" lines.
func fishComplete(t *testing.T, script, dir, line string) []string {
	t.Helper()
	cmd := exec.Command("fish", "--no-config", "-c", "source $argv[1]; and complete -C $argv[2]", script, line)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("fish %q: %v\n%s", line, err, out)
	}
	var got []string
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if word, _, _ := strings.Cut(l, "\t"); word != "" {
			got = append(got, word)
		}
	}
	return got
}

// A missing fish fails the test (CI installs it), so it cannot pass
// without running.
func TestFishCompletion(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Fatalf("fish is not installed (apt-get install fish): %v", err)
	}
	script := fixtureScript(t, "fish")
	dir := fileTree(t)
	cases := append(append([]completionCase{}, sharedCases...), fileCases...)
	// fish also completes --flag=value in one word.
	cases = append(cases, completionCase{"mqtap pub --qos=", []string{"--qos=0", "--qos=1", "--qos=2"}})
	for _, c := range cases {
		if got := fishComplete(t, script, dir, c.line); !sameSet(got, c.want) {
			t.Errorf("fish %q offers %q, want %q", c.line, got, c.want)
		}
	}
}
