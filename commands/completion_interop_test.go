//go:build interop

package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The committed zsh and fish scripts, loaded into real shells, offer the
// real command tree's commands and flag values (package completions tests
// the generator on a made-up tree; TestCompletionBashRealTree does this for
// bash). The scripts are self-contained: they never run mqtap, so no binary
// needs to be on PATH. A missing shell fails the test (CI installs both).

// realTreeCases are typed lines (cursor at the end) and what must be
// offered, in any order. The --cafile case runs in completionFiles' directory.
func realTreeCases(t *testing.T) []struct {
	line string
	want []string
} {
	t.Helper()
	var commands []string
	for _, c := range NewApp(Stdio{}, BuildInfo{}).Commands {
		if !c.Hidden {
			commands = append(commands, c.Name)
			commands = append(commands, c.Aliases...)
		}
	}
	if len(commands) != 9 {
		t.Errorf("the tree has %d commands, want the 9 of the README: %q", len(commands), commands)
	}
	return []struct {
		line string
		want []string
	}{
		{"mqtap ", commands},
		{"mqtap pub -q ", []string{"0", "1", "2"}},
		{"mqtap decode -T ", []string{"text", "json", "jsonl"}},
		{"mqtap pub --color ", []string{"auto", "always", "never"}},
		{"mqtap pub -D ", []string{"connect", "publish", "subscribe", "unsubscribe", "disconnect", "will"}},
		{"mqtap pub --cafile ce", []string{"cert.pem"}},
		{"mqtap sub --cafile ", []string{"capture.pcap", "cert.pem", "captures"}},
	}
}

// completionFiles makes a directory for file path completion.
func completionFiles(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"capture.pcap", "cert.pem"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "captures"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// sameCandidates compares ignoring order and the "/" bash and fish put
// after a directory.
func sameCandidates(got, want []string) bool {
	norm := func(s []string) []string {
		out := make([]string, len(s))
		for i, x := range s {
			out[i] = strings.TrimSuffix(x, "/")
		}
		return sorted(out)
	}
	return slices.Equal(norm(got), norm(want))
}

func committedScript(t *testing.T, name string) string {
	t.Helper()
	path, err := filepath.Abs(filepath.Join("..", "completions", name))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// Driven as the completions package's fixture test drives zsh: the line
// and a TAB typed into an interactive zsh in a pseudo-terminal
// (completions/testdata/zsh-capture.zsh), recording what compadd adds.
func TestCompletionZshRealTree(t *testing.T) {
	if _, err := exec.LookPath("zsh"); err != nil {
		t.Fatalf("zsh is not installed (apt-get install zsh): %v", err)
	}
	script := committedScript(t, "mqtap.zsh")
	harness := committedScript(t, filepath.Join("testdata", "zsh-capture.zsh"))
	dir := completionFiles(t)
	dump := filepath.Join(t.TempDir(), "zcompdump")
	for _, c := range realTreeCases(t) {
		out := filepath.Join(t.TempDir(), "offered")
		cmd := exec.Command("zsh", "-f", harness, script, c.line, out, dump)
		cmd.Dir = dir
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("zsh %q: %v\n%s", c.line, err, msg)
		}
		offered, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Fields(string(offered)); !sameCandidates(got, c.want) {
			t.Errorf("zsh %q offers %q, want %q", c.line, got, c.want)
		}
	}
}

// Driven as the fixture test drives fish: complete -C after sourcing the
// script, which prints "candidate<TAB>description" lines.
func TestCompletionFishRealTree(t *testing.T) {
	if _, err := exec.LookPath("fish"); err != nil {
		t.Fatalf("fish is not installed (apt-get install fish): %v", err)
	}
	script := committedScript(t, "mqtap.fish")
	dir := completionFiles(t)
	for _, c := range realTreeCases(t) {
		cmd := exec.Command("fish", "--no-config", "-c", "source $argv[1]; and complete -C $argv[2]", script, c.line)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("fish %q: %v\n%s", c.line, err, out)
		}
		var got []string
		for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			if word, _, _ := strings.Cut(l, "\t"); word != "" {
				got = append(got, word)
			}
		}
		if !sameCandidates(got, c.want) {
			t.Errorf("fish %q offers %q, want %q", c.line, got, c.want)
		}
	}
}
