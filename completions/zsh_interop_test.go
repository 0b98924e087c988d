//go:build interop

package completions

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// zshComplete types line and a TAB into a real interactive zsh (see
// testdata/zsh-capture.zsh) and returns what its completion offered.
func zshComplete(t *testing.T, script, dump, dir, line string) []string {
	t.Helper()
	harness, err := filepath.Abs("testdata/zsh-capture.zsh")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "offered")
	cmd := exec.Command("zsh", "-f", harness, script, line, out, dump)
	cmd.Dir = dir
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("zsh %q: %v\n%s", line, err, msg)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(string(got))
}

// The shell must be installed (CI installs it); a missing shell fails the
// test rather than skipping it, so CI cannot pass without running it.
func TestZshCompletion(t *testing.T) {
	if _, err := exec.LookPath("zsh"); err != nil {
		t.Fatalf("zsh is not installed (apt-get install zsh): %v", err)
	}
	script := fixtureScript(t, "zsh")
	dir := fileTree(t)
	dump := filepath.Join(t.TempDir(), "zcompdump")
	for _, c := range append(append([]completionCase{}, sharedCases...), fileCases...) {
		if got := zshComplete(t, script, dump, dir, c.line); !sameSet(got, c.want) {
			t.Errorf("zsh %q offers %q, want %q", c.line, got, c.want)
		}
	}
}
