package commands

import (
	"bytes"
	"flag"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/completions"
	"github.com/mqtap/mqtap/mqttwire"
)

// -update rewrites the committed completion scripts: go test ./commands/
// -run Completion -update. Another golden test of this package may have
// registered -update already; then both share it.
var _ = func() bool {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite golden files (completions/mqtap.*)")
	}
	return true
}()

// updating reports whether -update was given.
func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// runMqtap runs the real command tree in-process.
func runMqtap(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Run(append([]string{"mqtap"}, args...), Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, BuildInfo{Version: "test"})
	return out.String(), errOut.String(), code
}

// The committed scripts must be exactly what the binary prints, so they
// never drift from the command tree.
func TestCompletionScriptsCommitted(t *testing.T) {
	for _, shell := range completions.Shells.Words {
		got, errOut, code := runMqtap(t, "completion", shell)
		if code != ExitOK {
			t.Fatalf("mqtap completion %s: exit %d: %s", shell, code, errOut)
		}
		path := filepath.Join("..", "completions", completions.ScriptFiles[shell])
		if updating() {
			if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (go test ./commands/ -run Completion -update writes it)", err)
		}
		if got != string(want) {
			t.Errorf("%s differs from `mqtap completion %s`; run go test ./commands/ -run Completion -update", path, shell)
		}
	}
}

func TestCompletionUsage(t *testing.T) {
	for _, args := range [][]string{{"completion"}, {"completion", "tcsh"}, {"completion", "bash", "zsh"}} {
		if _, errOut, code := runMqtap(t, args...); code != ExitUsage || !strings.HasPrefix(errOut, "mqtap: ") {
			t.Errorf("mqtap %q: exit %d, stderr %q; want exit %d and one mqtap: line", args, code, errOut, ExitUsage)
		}
	}
}

// The committed bash script, driven as readline drives it, offers the real
// commands and the flag values of the real flags.
func TestCompletionBashRealTree(t *testing.T) {
	script, err := filepath.Abs(filepath.Join("..", "completions", "mqtap.bash"))
	if err != nil {
		t.Fatal(err)
	}
	var commands []string
	for _, c := range NewApp(Stdio{}, BuildInfo{}).Commands {
		if !c.Hidden {
			commands = append(commands, c.Name)
			commands = append(commands, c.Aliases...)
		}
	}
	cases := []struct {
		line string
		want []string
	}{
		{"mqtap ", commands},
		{"mqtap pub -q ", completions.QoS.Words},
		{"mqtap sub -V ", completions.MQTTVersions.Words},
		{"mqtap pub -D publish ", completions.PropertyNames.ByPrevious["publish"]},
		{"mqtap sub --output ", completions.MessageFormats.Words},
		{"mqtap decode -T ", completions.DecodeFormats.Words},
		{"mqtap completion ", completions.Shells.Words},
	}
	for _, c := range cases {
		got := bashOffers(t, script, c.line)
		if !slices.Equal(sorted(got), sorted(c.want)) {
			t.Errorf("%q offers %q, want %q", c.line, got, c.want)
		}
	}
	for _, flag := range []string{"--topic", "--qos", "--property", "--cafile"} {
		if got := bashOffers(t, script, "mqtap pub --"); !slices.Contains(got, flag) {
			t.Errorf("mqtap pub -- does not offer %s: %q", flag, got)
		}
	}
}

func bashOffers(t *testing.T, script, line string) []string {
	t.Helper()
	words := strings.Fields(line)
	if strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	prog := `source "$1" || exit 1; COMP_WORDS=("${@:2}"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _mqtap; printf '%s\n' "${COMPREPLY[@]}"`
	out, err := exec.Command("bash", append([]string{"--norc", "--noprofile", "-c", prog, "bash", script}, words...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("bash %q: %v\n%s", line, err, out)
	}
	return strings.Fields(string(out))
}

func sorted(s []string) []string { return slices.Sorted(slices.Values(s)) }

// The completion tables in package completions repeat two lists that this
// package owns; they must agree.
func TestCompletionValueSetsMatchCommands(t *testing.T) {
	if got, want := sorted(completions.PropertyCommands.Words), sorted(slices.Collect(maps.Keys(propertyTargets))); !slices.Equal(got, want) {
		t.Errorf("completions.PropertyCommands = %q, -D accepts %q", got, want)
	}
	for _, c := range completions.PropertyCommandTable {
		if propertyTargets[c.Name] != c.Packet {
			t.Errorf("-D %s: completions says %v, commands says %v", c.Name, c.Packet, propertyTargets[c.Name])
		}
	}
	if got, want := completions.MessageFormats.Words, []string{outText, outJSON, outJSONL, outHex, outDissect}; !slices.Equal(got, want) {
		t.Errorf("completions.MessageFormats = %q, sub --output accepts %q", got, want)
	}
	for _, key := range completions.PropertyNames.ByPrevious["connect"] {
		if _, ok := mqttwire.LookupPropKey(key); !ok {
			t.Errorf("-D connect %s is no property", key)
		}
	}
}
