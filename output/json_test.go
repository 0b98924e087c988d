package output

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mqtap/mqtap/mqttwire"
)

// parseOrdered reads JSON keeping key order and repeated keys, which
// tshark -T json relies on and encoding/json's maps would lose.
func parseOrdered(dec *json.Decoder) (JSONMember, error) {
	tok, err := dec.Token()
	if err != nil {
		return JSONMember{}, err
	}
	switch v := tok.(type) {
	case json.Delim:
		switch v {
		case '{':
			o := &JSONObject{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return JSONMember{}, err
				}
				m, err := parseOrdered(dec)
				if err != nil {
					return JSONMember{}, err
				}
				m.Key = k.(string)
				o.Members = append(o.Members, m)
			}
			_, err = dec.Token()
			return JSONMember{Obj: o}, err
		case '[':
			o := &JSONObject{}
			for dec.More() {
				m, err := parseOrdered(dec)
				if err != nil {
					return JSONMember{}, err
				}
				o.Members = append(o.Members, m)
			}
			_, err = dec.Token()
			return JSONMember{Obj: o}, err
		}
	case string:
		return JSONMember{Str: v}, nil
	case nil:
		return JSONMember{Raw: "null"}, nil
	}
	return JSONMember{Raw: "?"}, nil
}

func (o *JSONObject) get(key string) *JSONMember {
	for i := range o.Members {
		if o.Members[i].Key == key {
			return &o.Members[i]
		}
	}
	return nil
}

// TestJSONMatchesTshark compares, for every MQTT layer of the captures'
// tshark -T json output, our JSONLayers with tshark's, key by key in order.
func TestJSONMatchesTshark(t *testing.T) {
	files, _ := filepath.Glob("testdata/captures/*.json")
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) {
			r, err := os.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			root, err := parseOrdered(json.NewDecoder(r))
			if err != nil {
				t.Fatal(err)
			}
			want := map[int][]JSONMember{}
			for _, pkt := range root.Obj.Members {
				layers := pkt.Obj.get("_source").Obj.get("layers").Obj
				no, _ := strconv.Atoi(layers.get("frame").Obj.get("frame.number").Str)
				for _, m := range layers.Members {
					if m.Key == "mqtt" || m.Key == "_ws.malformed" {
						want[no] = append(want[no], m)
					}
				}
			}
			got := map[int][]JSONMember{}
			for _, fd := range dissectSegments(readFrames(t, strings.TrimSuffix(f, ".json")+".frames"), 0) {
				for _, d := range fd.ds {
					got[fd.frame] = append(got[fd.frame], JSONLayers(d, Prefs{})...)
				}
			}
			ok, all := 0, 0
			for no, ws := range want {
				gs := got[no]
				for i, w := range ws {
					all++
					wj := string((&JSONObject{Members: []JSONMember{w}}).AppendCompact(nil))
					gj := ""
					if i < len(gs) {
						gj = string((&JSONObject{Members: []JSONMember{gs[i]}}).AppendCompact(nil))
					}
					if wj == gj {
						ok++
					} else {
						t.Errorf("frame %d layer %d:\n tshark %s\n mqtap  %s", no, i, wj, gj)
					}
				}
			}
			t.Logf("%s: JSON layers exact %d/%d", name, ok, all)
		})
	}
}

// frameDissections is the PDUs that complete in one frame.
type frameDissections struct {
	frame int
	ds    []*Dissection
}

// dissectSegments is renderSegments without the rendering.
func dissectSegments(segs []segment, def mqttwire.Version) []frameDissections {
	convs := map[int]*Conversation{}
	bufs := map[[2]int][]byte{}
	var out []frameDissections
	for _, s := range segs {
		c := convs[s.stream]
		if c == nil {
			c = NewConversation(def)
			convs[s.stream] = c
		}
		key := [2]int{s.stream, s.src}
		buf := append(bufs[key], s.payload...)
		fd := frameDissections{frame: s.frame}
		for {
			n, ok, err := mqttwire.PacketLen(buf)
			if err != nil || !ok || n > len(buf) {
				break
			}
			fd.ds = append(fd.ds, c.Dissect(buf[:n]))
			buf = buf[n:]
		}
		bufs[key] = append([]byte(nil), buf...)
		if len(fd.ds) > 0 {
			out = append(out, fd)
		}
	}
	return out
}
