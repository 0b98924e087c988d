package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/commands"
)

// The README's example outputs are checked against the binary, so they
// cannot go stale. The convention:
//
//   - A fenced block opened by a bare ``` (no language) whose first line
//     starts with "$ mqtap " is checked. The rest of that line is the
//     command, split as a shell would split simple words ('single',
//     "double" quotes, backslash escapes; a word starting with # begins a
//     comment). It may end in one filter to trim the output:
//     "| head -n N" or "| sed -n A,Bp" (or "| sed -n Np").
//   - The block's remaining lines are the expected output: what the command
//     writes to stdout, then to stderr, byte for byte, each line ending in
//     a newline (a blank line before the closing fence is a blank line of
//     output).
//   - Blocks with a language (```sh, ```console, ```yaml) are not run:
//     they show commands to type or transcripts of live sessions, which
//     need a broker.
//
// Commands run in-process from the repository root, so they can name files
// committed in it (capture/testdata/...), with empty stdin and nothing on
// the network: only offline commands (decode of hex and committed
// captures, --help, completion, man) can be checked this way.
//
// go test -run README -update rewrites the checked blocks' outputs.
var update = flag.Bool("update", false, "rewrite the outputs of README.md's checked examples")

const readmePath = "README.md"

// readmeExample is one checked block: its command line and the lines of
// README.md (0-based, end exclusive) holding the expected output.
type readmeExample struct {
	line       int // of the "$ mqtap" line
	command    string
	start, end int
}

func readmeExamples(lines []string) ([]readmeExample, error) {
	var out []readmeExample
	for i := 0; i < len(lines); i++ {
		fence := strings.TrimSpace(lines[i])
		if !strings.HasPrefix(fence, "```") {
			continue
		}
		end := i + 1
		for end < len(lines) && strings.TrimSpace(lines[end]) != "```" {
			end++
		}
		if end == len(lines) {
			return nil, fmt.Errorf("line %d: fence never closed", i+1)
		}
		if fence == "```" && i+1 < end && strings.HasPrefix(lines[i+1], "$ mqtap ") {
			out = append(out, readmeExample{line: i + 1, command: strings.TrimPrefix(lines[i+1], "$ "), start: i + 2, end: end})
		}
		i = end
	}
	return out, nil
}

// shellSpecial are the characters a shell would treat specially unquoted;
// shellWords returns each as a word of its own, marked with operator.
const (
	shellSpecial = "|&;<>()$`*?["
	operator     = "\x00"
)

// shellWords splits a command line as sh would split simple words, up to
// a comment.
func shellWords(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			if inWord {
				words, inWord = append(words, w.String()), false
				w.Reset()
			}
		case c == '#' && !inWord:
			return words, nil
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unclosed ' in %q", s)
			}
			w.WriteString(s[i+1 : i+1+j])
			i, inWord = i+1+j, true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`"\$`+"`", s[i+1]) >= 0 {
					i++
				}
				w.WriteByte(s[i])
			}
			if i == len(s) {
				return nil, fmt.Errorf("unclosed \" in %q", s)
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		case strings.IndexByte(shellSpecial, c) >= 0:
			if inWord {
				return nil, fmt.Errorf("%q: put spaces around %c", s, c)
			}
			words = append(words, operator+s[i:i+1]) // the caller decides
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}

// filterOutput applies the example's trailing "| head -n N" or
// "| sed -n A,Bp" to out.
func filterOutput(out string, filter []string) (string, error) {
	lines := strings.SplitAfter(out, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	from, to := 1, 0
	var err error
	switch {
	case len(filter) == 3 && filter[0] == "head" && filter[1] == "-n":
		to, err = strconv.Atoi(filter[2])
	case len(filter) == 3 && filter[0] == "sed" && filter[1] == "-n" && strings.HasSuffix(filter[2], "p"):
		a, b, isRange := strings.Cut(strings.TrimSuffix(filter[2], "p"), ",")
		if from, err = strconv.Atoi(a); err == nil {
			to = from
			if isRange {
				to, err = strconv.Atoi(b)
			}
		}
	default:
		return "", fmt.Errorf("filter %q: only | head -n N and | sed -n A,Bp are understood", filter)
	}
	if err != nil || from < 1 || to < from {
		return "", fmt.Errorf("filter %q: bad line numbers", filter)
	}
	to = min(to, len(lines))
	if from > to {
		return "", nil
	}
	return strings.Join(lines[from-1:to], ""), nil
}

// runExample runs the example's command in-process and returns what a
// terminal would show: stdout, then stderr, filtered.
func runExample(command string) (string, error) {
	words, err := shellWords(command)
	if err != nil {
		return "", err
	}
	args, filter := words, []string(nil)
	for i, w := range words {
		if w == operator+"|" {
			args, filter = words[:i], words[i+1:]
			break
		}
	}
	for _, w := range append(append([]string{}, args...), filter...) {
		if strings.HasPrefix(w, operator) {
			return "", fmt.Errorf("%q: %s is not supported here (only one | head or | sed)", command, w[1:])
		}
	}
	var stdout, stderr bytes.Buffer
	commands.Run(args, commands.Stdio{In: strings.NewReader(""), Out: &stdout, Err: &stderr}, commands.BuildInfo{Version: "readme"})
	out := stdout.String() + stderr.String()
	if filter != nil {
		return filterOutput(out, filter)
	}
	return out, nil
}

func TestREADMEExamples(t *testing.T) {
	data, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	examples, err := readmeExamples(lines)
	if err != nil {
		t.Fatalf("%s: %v", readmePath, err)
	}
	// The README has a hex decode, a packet list and a packet's tree:
	// finding fewer means the convention broke, not that all is well.
	if len(examples) < 3 {
		t.Fatalf("%s: %d checked examples (```, then a line starting \"$ mqtap \"), want at least 3", readmePath, len(examples))
	}
	// Rewrite from the end so earlier line numbers stay valid.
	for i := len(examples) - 1; i >= 0; i-- {
		ex := examples[i]
		got, err := runExample(ex.command)
		if err != nil {
			t.Errorf("%s:%d: %v", readmePath, ex.line+1, err)
			continue
		}
		want := strings.Join(lines[ex.start:ex.end], "\n")
		if ex.end > ex.start {
			want += "\n"
		}
		if got == want {
			continue
		}
		if *update {
			if got != "" && !strings.HasSuffix(got, "\n") {
				t.Errorf("%s:%d: output does not end in a newline; the README cannot show it", readmePath, ex.line+1)
				continue
			}
			newLines := strings.Split(strings.TrimSuffix(got, "\n"), "\n")
			if got == "" {
				newLines = nil
			}
			lines = append(lines[:ex.start], append(newLines, lines[ex.end:]...)...)
			continue
		}
		t.Errorf("%s:%d: $ %s: output differs (go test -run README -update rewrites it)\n--- README\n%s--- mqtap\n%s", readmePath, ex.line+1, ex.command, want, got)
	}
	if *update {
		if err := os.WriteFile(readmePath, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestREADMEConventionHelpers(t *testing.T) {
	words, err := shellWords(`mqtap decode -o 'mqtt.show_msg_as_text:TRUE' "a b" c\ d # a comment`)
	if err != nil || strings.Join(words, "|") != "mqtap|decode|-o|mqtt.show_msg_as_text:TRUE|a b|c d" {
		t.Errorf("shellWords = %q, %v", words, err)
	}
	if _, err := runExample("mqtap decode 00 > out.txt"); err == nil {
		t.Error("a redirection was accepted")
	}
	out := "1\n2\n3\n4\n"
	for filter, want := range map[string]string{"head -n 2": "1\n2\n", "sed -n 2,3p": "2\n3\n", "sed -n 4p": "4\n", "sed -n 3,9p": "3\n4\n"} {
		if got, err := filterOutput(out, strings.Fields(filter)); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", filter, got, err, want)
		}
	}
	if _, err := filterOutput(out, []string{"grep", "x"}); err == nil {
		t.Error("grep was accepted as a filter")
	}
	readme := strings.Split("```sh\n$ mqtap pub -t t -m x\n```\n```\n$ mqtap decode 00\nout\n\n```\n```\nnot a command\n```", "\n")
	exs, err := readmeExamples(readme)
	if err != nil || len(exs) != 1 || exs[0].command != "mqtap decode 00" || exs[0].start != 5 || exs[0].end != 7 {
		t.Errorf("readmeExamples = %+v, %v", exs, err)
	}
}
