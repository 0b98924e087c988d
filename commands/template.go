package commands

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"math/big"
	"os"
	"strings"
	"text/template"
	"time"
)

// messageTemplate renders a -m message per publish: {{now}}, {{seq}},
// {{rand MIN MAX}}, {{uuid}}, {{env "NAME"}}. It is parsed once; the
// functions read the per-message state through the pointer they close over.
type messageTemplate struct {
	tpl   *template.Template
	state *templateState
	buf   bytes.Buffer
}

type templateState struct {
	seq int
	now time.Time
}

// isTemplate reports whether a message uses template actions; anything
// else is published as given.
func isTemplate(msg string) bool { return strings.Contains(msg, "{{") }

func parseMessageTemplate(msg string) (*messageTemplate, error) {
	st := &templateState{}
	funcs := template.FuncMap{
		// RFC 3339 in UTC with milliseconds: 2017-06-14T17:52:25.428Z.
		"now": func() string { return st.now.UTC().Format("2006-01-02T15:04:05.000Z07:00") },
		"seq": func() int { return st.seq },
		"rand": func(lo, hi int) (int, error) {
			if hi < lo {
				return 0, fmt.Errorf("rand %d %d: the maximum is below the minimum", lo, hi)
			}
			n, err := rand.Int(rand.Reader, big.NewInt(int64(hi-lo)+1))
			if err != nil {
				return 0, err
			}
			return lo + int(n.Int64()), nil
		},
		"uuid": newUUID,
		"env":  os.Getenv,
	}
	tpl, err := template.New("message").Option("missingkey=error").Funcs(funcs).Parse(msg)
	if err != nil {
		return nil, usageError("-m template: %v", err)
	}
	return &messageTemplate{tpl: tpl, state: st}, nil
}

// render executes the template for message number seq (from 1). The
// returned slice is valid until the next call.
func (t *messageTemplate) render(seq int) ([]byte, error) {
	t.state.seq, t.state.now = seq, time.Now()
	t.buf.Reset()
	if err := t.tpl.Execute(&t.buf, nil); err != nil {
		return nil, fmt.Errorf("-m template: %w", err)
	}
	return t.buf.Bytes(), nil
}

// newUUID is a random (version 4) UUID, RFC 9562 §5.4.
func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0F | 0x40
	b[8] = b[8]&0x3F | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}
