package output

import (
	"strings"
	"testing"
)

// TestAppendJSONText: the escapes of tshark's json_dumper, around and
// between the runs of plain bytes that are copied in one go.
func TestAppendJSONText(t *testing.T) {
	for _, c := range []struct {
		in       string
		verbatim bool
		want     string
	}{
		{"", false, `""`},
		{"mqtt.topic", false, `"mqtt.topic"`},
		{`a"b\c`, false, `"a\"b\\c"`},
		{"\b\f\n\r\t\x01\x1f x\x7f", false, `"\b\f\n\r\t\u0001\u001f x` + "\x7f" + `"`},
		{"°C", false, `"°C"`},
		{"a\xffb\xc3", false, "\"a\uFFFDb\uFFFD\""},
		{"a\xffb", true, "\"a\xffb\""},
		{strings.Repeat("x", 100) + "\n", false, `"` + strings.Repeat("x", 100) + `\n"`},
	} {
		if got := string(appendJSONText(nil, c.in, c.verbatim)); got != c.want {
			t.Errorf("%q (verbatim %v): %s, want %s", c.in, c.verbatim, got, c.want)
		}
	}
}

// TestJSONArenaReuse: objects handed out again after Reset start empty,
// their children come from the arena, and what is built the second time
// prints as a fresh heap-built tree does.
func TestJSONArenaReuse(t *testing.T) {
	build := func(a *JSONArena, n int) *JSONObject {
		o := a.Object()
		for i := range n {
			c := o.AddObject("child")
			c.Add("k", strings.Repeat("v", i))
		}
		o.Add("last", "x")
		return o
	}
	var a JSONArena
	build(&a, 5)
	if len(a.objs) != 6 || a.used != 6 {
		t.Fatalf("arena holds %d objects, %d used, want 6", len(a.objs), a.used)
	}
	firstObjs := append([]*JSONObject(nil), a.objs...)
	a.Reset()
	second := build(&a, 2)
	for i := range 3 {
		if a.objs[i] != firstObjs[i] {
			t.Errorf("object %d not reused", i)
		}
	}
	want := string(build(nil, 2).AppendIndented(nil, 0))
	if got := string(second.AppendIndented(nil, 0)); got != want {
		t.Errorf("reused arena prints\n%s\nwant\n%s", got, want)
	}
	if a.used != 3 {
		t.Errorf("%d used after the second build, want 3", a.used)
	}
}
