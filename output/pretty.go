package output

import (
	"encoding/json"

	"github.com/tidwall/pretty"
)

// PrettyJSON indents a payload that is JSON (mqtap --pretty), in colour when
// color is set; ok is false, and payload is returned as is, when it is not
// JSON.
func PrettyJSON(payload []byte, color bool) ([]byte, bool) {
	if !json.Valid(payload) {
		return payload, false
	}
	out := pretty.Pretty(payload)
	if color {
		out = pretty.Color(out, nil)
	}
	return out, true
}
