package completions

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
	"github.com/mqtap/mqtap/transport"
)

func findCommand(t *testing.T, root *Command, name string) *Command {
	t.Helper()
	for _, c := range root.Commands {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no command %q", name)
	return nil
}

func findFlag(t *testing.T, c *Command, name string) Flag {
	t.Helper()
	for _, f := range c.Flags {
		if slices.Contains(f.Long, name) || slices.Contains(f.Short, name) {
			return f
		}
	}
	t.Fatalf("%s has no flag %q", c.Name, name)
	return Flag{}
}

func TestFromApp(t *testing.T) {
	root := FromApp(fixtureApp())
	var names []string
	for _, c := range root.Commands {
		names = append(names, c.Name)
	}
	if want := []string{"pub", "sub", "decode", "check", "completion"}; !slices.Equal(names, want) {
		t.Errorf("commands %q, want %q (hidden ones left out)", names, want)
	}
	pub := findCommand(t, root, "pub")
	for _, c := range []struct {
		flag string
		sets []string
	}{
		{"q", []string{"qos"}},
		{"protocol-version", []string{"version"}},
		{"D", []string{"prop_command", "prop_name", ""}},
		{"topic", []string{""}},
		{"retain", nil},
		{"help", nil},
	} {
		f := findFlag(t, pub, c.flag)
		var got []string
		for _, s := range f.Words {
			got = append(got, s.Name)
		}
		if !slices.Equal(got, c.sets) {
			t.Errorf("pub %s: sets %q, want %q", c.flag, got, c.sets)
		}
	}
	if f := findFlag(t, pub, "property"); !f.Repeatable {
		t.Errorf("-D is a slice flag but not repeatable")
	}
	for _, f := range pub.Flags {
		if slices.Contains(f.Long, "secret") {
			t.Errorf("hidden flag --secret is listed")
		}
	}
	// -V is a switch in decode: no values, though -V is bound elsewhere.
	if f := findFlag(t, findCommand(t, root, "decode"), "V"); f.TakesValue() {
		t.Errorf("decode -V takes %d words, want a switch", len(f.Words))
	}
	if f := findFlag(t, findCommand(t, root, "sub"), "T"); f.Words[0].Name != "" {
		t.Errorf("sub -T completes %q; -T is bound to decode only", f.Words[0].Name)
	}
	if got := findCommand(t, root, "decode").Args.Name; got != "file" {
		t.Errorf("decode arguments complete %q, want file", got)
	}
	if len(findFlag(t, root, "version").Words) != 0 {
		t.Errorf("--version takes a value")
	}
}

// A row limited to a command wins over a general row for the same name.
func TestBindingForPrefersCommand(t *testing.T) {
	b, ok := bindingFor("decode", []string{"T"})
	if !ok || b.Words[0].Name != DecodeFormats.Name {
		t.Errorf("decode -T bound to %+v", b)
	}
	if _, ok := bindingFor("sub", []string{"filter-out", "T"}); ok {
		t.Errorf("sub -T is bound")
	}
}

var identifier = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// Set names become parts of shell function names.
func TestValueSetNames(t *testing.T) {
	seen := map[string]bool{}
	for _, b := range Bindings {
		if b.Args && len(b.Commands) == 0 {
			t.Errorf("argument row %v has no command", b)
		}
		for _, s := range b.Words {
			if s.Name == "" {
				continue
			}
			if !identifier.MatchString(s.Name) {
				t.Errorf("set name %q is not an identifier", s.Name)
			}
			seen[s.Name] = true
		}
	}
	if len(seen) < 8 {
		t.Errorf("only %d named sets", len(seen))
	}
}

// The value sets must be accepted by the code that parses those values.
func TestValueSetsAreAccepted(t *testing.T) {
	for _, v := range MQTTVersions.Words {
		if _, err := mqttwire.ParseVersion(v); err != nil {
			t.Errorf("-V %s: %v", v, err)
		}
	}
	for _, v := range TLSVersions.Words {
		if _, err := (transport.TLSOptions{MinVersion: v}).Config("example.com"); err != nil {
			t.Errorf("--tls-version %s: %v", v, err)
		}
	}
	for _, c := range PropertyCommandTable {
		keys := PropertyNames.ByPrevious[c.Name]
		if len(keys) == 0 {
			t.Errorf("-D %s offers no property", c.Name)
		}
		for _, k := range keys {
			spec, ok := mqttwire.LookupPropKey(k)
			if !ok || !spec.AllowedIn(c.Packet, c.Will) {
				t.Errorf("-D %s %s is not allowed there", c.Name, k)
			}
		}
	}
	if !slices.Contains(PropertyNames.ByPrevious["will"], "will-delay-interval") || slices.Contains(PropertyNames.ByPrevious["publish"], "will-delay-interval") {
		t.Errorf("will-delay-interval belongs to -D will only")
	}
}

// Every shell has a writer and a committed file name, and nothing else.
func TestShells(t *testing.T) {
	for _, s := range Shells.Words {
		if writers[s] == nil || ScriptFiles[s] == "" {
			t.Errorf("shell %s has no writer or file", s)
		}
	}
	if len(writers) != len(Shells.Words) || len(ScriptFiles) != len(Shells.Words) {
		t.Errorf("writers/ScriptFiles list shells Shells does not")
	}
	if err := Generate(&bytes.Buffer{}, "tcsh", fixtureApp()); err == nil {
		t.Errorf("Generate for tcsh succeeded")
	}
}

// pwsh is not packaged for Debian, so the PowerShell script is checked
// for its data only.
func TestPowerShellScript(t *testing.T) {
	var buf bytes.Buffer
	if err := Generate(&buf, "powershell", fixtureApp()); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{
		"Register-ArgumentCompleter -Native -CommandName mqtap",
		"'mqtap_pub' = @{",
		"Subs = @{ 'pub' = 'mqtap_pub'; 'publish' = 'mqtap_pub';",
		",@('-q', 'qos')",
		",@('-D', 'prop_command', 'prop_name', '-')",
		"'qos' = @('0', '1', '2')",
		"'file' = 'file'",
		"Args = 'file'",
		"'publish' = @('payload-format-indicator'",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("PowerShell script lacks %q", want)
		}
	}
	if strings.Count(s, "{") != strings.Count(s, "}") || strings.Count(s, "(") != strings.Count(s, ")") {
		t.Errorf("PowerShell script has unbalanced brackets")
	}
}
