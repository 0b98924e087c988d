package commands

import (
	"slices"
	"testing"
	"time"
)

func TestJoinPropertyArgs(t *testing.T) {
	takes := func(n string) bool { return n == "t" || n == "m" || n == "q" }
	joined := []string{"-t", "x", "--property=publish\x1fcontent-type\x1ftext/plain", "-q", "1", "--property=connect\x1fuser-property\x1fk\x1fv w", "-m", "-D"}
	for _, in := range [][]string{
		// As typed.
		{"-t", "x", "-D", "publish", "content-type", "text/plain", "-q", "1", "-D", "connect", "user-property", "k", "v w", "-m", "-D"},
		// As Run's hoistFlags leaves it: the words after each -D's first at the end.
		{"-t", "x", "-D", "publish", "-q", "1", "-D", "connect", "-m", "-D", "content-type", "text/plain", "user-property", "k", "v w"},
	} {
		got, err := joinPropertyArgs(in, takes)
		if err != nil || !slices.Equal(got, joined) {
			t.Errorf("%q:\ngot  %q (%v)\nwant %q", in, got, err, joined)
		}
	}
	for _, bad := range [][]string{{"-D", "publish", "content-type"}, {"-t", "x", "stray"}, {"-D"}, {"-m", "x", "--", "y"}} {
		if _, err := joinPropertyArgs(bad, takes); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestParseRate(t *testing.T) {
	for in, want := range map[string]time.Duration{"100": 10 * time.Millisecond, "100/s": 10 * time.Millisecond, "30/m": 2 * time.Second, "2/h": 30 * time.Minute, "0.5/s": 2 * time.Second} {
		if got, err := parseRate(in); err != nil || got != want {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
	for _, bad := range []string{"x", "0", "-1/s", "5/d"} {
		if _, err := parseRate(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestParseProperties(t *testing.T) {
	set, err := parseProperties([]string{"connect\x1fsession-expiry-interval\x1f60", "publish\x1fuser-property\x1fa\x1fb", "publish user_property c d", "will\x1fwill-delay-interval\x1f5"}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := set.get(cmdConnect).Int(0x11); v != 60 {
		t.Errorf("session expiry %d", v)
	}
	if u := set.get(cmdPublish).UserProperties(); len(u) != 2 || u[1] != [2]string{"c", "d"} {
		t.Errorf("user properties %q", u)
	}
	for _, bad := range []string{"connect\x1fno-such\x1f1", "publish\x1fwill-delay-interval\x1f5", "connect\x1freceive-maximum\x1f70000", "subscribe\x1fpayload-format-indicator\x1f1", "publish\x1fpayload-format-indicator\x1f2", "connect\x1fsession-expiry-interval"} {
		if _, err := parseProperties([]string{bad}, 5); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
	if _, err := parseProperties([]string{"connect\x1fsession-expiry-interval\x1f1"}, 4); err == nil {
		t.Error("-D accepted for 3.1.1")
	}
}
