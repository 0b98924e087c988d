package hexdump

import "bytes"

// parseEscaped decodes escaped strings: bare \x10\x0c, C or Go string
// literals ("\x10\x0cMQTT", Wireshark's Copy as Escaped String, Go's %q) and
// Python bytes reprs (b'\x10\x0c\x00\x04MQTT'). Inside quotes every
// character stands for itself; adjacent literals join, as in C and Python.
// Outside quotes only escapes are allowed, so stray words are reported
// rather than read as bytes.
func parseEscaped(text []byte) ([]Block, error) {
	data := make([]byte, 0, len(text)/2)
	first := -1
	for i := skipDeclaration(text); i < len(text); {
		c := text[i]
		switch {
		case isWhite(c) || c == '+' || c == ',' || c == ';' || c == '(' || c == ')':
			i++
		case c == '\\' && continuesLine(text, i):
			i = skipSpace(text, i+1) + 1
		case c == '\\':
			if first < 0 {
				first = i
			}
			var msg string
			j := i
			if data, j, msg = appendEscape(data, text, i); msg != "" {
				return nil, errorAt(text, i, min(j, len(text)), "escape", msg)
			}
			i = j
		case c == '"' || c == '\'':
			if first < 0 {
				first = i
			}
			var err error
			if data, i, err = appendQuoted(data, text, i); err != nil {
				return nil, err
			}
		case (c == 'b' || c == 'B') && i+1 < len(text) && (text[i+1] == '"' || text[i+1] == '\''):
			i++ // Python bytes prefix
		default:
			end := i
			for end < len(text) && !isWhite(text[end]) && text[end] != '\\' {
				end++
			}
			return nil, errorAt(text, i, end, "hex", `outside quotes only \x escapes are allowed`)
		}
	}
	if first < 0 || len(data) == 0 {
		return nil, ErrEmpty
	}
	line, _ := position(text, first)
	return []Block{{Data: data, Line: line}}, nil
}

// skipDeclaration skips a declaration before the first literal, such as
// `char pkt[] = ` or `payload := `, recognised by its '='.
func skipDeclaration(text []byte) int {
	p := bytes.IndexAny(text, "\"'\\")
	if p < 0 {
		return 0
	}
	return bytes.LastIndexByte(text[:p], '=') + 1
}

// continuesLine reports a backslash that ends its line: a C or Python line
// continuation, not an escape.
func continuesLine(text []byte, i int) bool {
	j := skipSpace(text, i+1)
	return j < len(text) && text[j] == '\n'
}

// appendQuoted decodes the string literal whose opening quote is at
// text[i] and returns the index after its closing quote.
func appendQuoted(dst, text []byte, i int) ([]byte, int, error) {
	q := text[i]
	for j := i + 1; j < len(text); {
		c := text[j]
		switch {
		case c == q:
			return dst, j + 1, nil
		case c == '\n':
			j = len(text) // unterminated on this line
		case c == '\\' && continuesLine(text, j):
			j = skipSpace(text, j+1) + 1
		case c == '\\':
			var msg string
			k := j
			if dst, k, msg = appendEscape(dst, text, j); msg != "" {
				return dst, 0, errorAt(text, j, min(k, len(text)), "escape", msg)
			}
			j = k
		default:
			dst = append(dst, c)
			j++
		}
	}
	end := i
	for end < len(text) && text[end] != '\n' {
		end++
	}
	return dst, 0, errorAt(text, i, end, "string", "no closing quote")
}
