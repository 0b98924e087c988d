package output

import (
	"bytes"
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
			fds := dissectSegments(readFrames(t, strings.TrimSuffix(f, ".json")+".frames"), 0)
			checkJSONLayers(t, name, f, fds, Prefs{})
		})
	}
}

// checkJSONLayers compares the layers our PDUs give each frame ("mqtt",
// "_ws.malformed", "json", "data-text-lines") with tshark's -T json file,
// and the frame's frame.protocols from ":mqtt" on with ExtraProtocols.
func checkJSONLayers(t *testing.T, name, file string, fds []frameDissections, p Prefs) {
	t.Helper()
	r, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	root, err := parseOrdered(json.NewDecoder(r))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int][]JSONMember{}
	wantProtos := map[int]string{}
	for _, pkt := range root.Obj.Members {
		layers := pkt.Obj.get("_source").Obj.get("layers").Obj
		frame := layers.get("frame").Obj
		no, _ := strconv.Atoi(frame.get("frame.number").Str)
		if protos := frame.get("frame.protocols").Str; strings.Contains(protos, ":mqtt") {
			wantProtos[no] = protos[strings.Index(protos, ":mqtt"):]
		}
		for _, m := range layers.Members {
			switch m.Key {
			case "mqtt", "_ws.malformed", "json", "data-text-lines":
				want[no] = append(want[no], m)
			}
		}
	}
	got := map[int][]JSONMember{}
	gotProtos := map[int]string{}
	for _, fd := range fds {
		protos := ":mqtt"
		for _, d := range fd.ds {
			got[fd.frame] = append(got[fd.frame], JSONLayers(d, p)...)
			protos += ExtraProtocols(d)
		}
		gotProtos[fd.frame] = protos
	}
	ok, all := 0, 0
	for no, ws := range want {
		gs := got[no]
		for i, w := range ws {
			all++
			wj := string((&JSONObject{Members: []JSONMember{w}}).AppendCompact(nil))
			gj := ""
			if i < len(gs) {
				// Read back the way tshark's output was read, so that bytes
				// written verbatim compare as tshark's do.
				out := (&JSONObject{Members: []JSONMember{gs[i]}}).AppendCompact(nil)
				back, err := parseOrdered(json.NewDecoder(bytes.NewReader(out)))
				if err != nil {
					t.Fatalf("frame %d layer %d: our JSON does not parse: %v\n%s", no, i, err, out)
				}
				gj = string(back.Obj.AppendCompact(nil))
			}
			if wj == gj {
				ok++
			} else {
				t.Errorf("frame %d layer %d:\n tshark %s\n mqtap  %s", no, i, wj, gj)
			}
		}
		if len(gs) > len(ws) {
			t.Errorf("frame %d: %d layers, tshark has %d", no, len(gs), len(ws))
		}
	}
	pok := 0
	for no, w := range wantProtos {
		if g := gotProtos[no]; g != w {
			t.Errorf("frame %d: frame.protocols ...%s, tshark ...%s", no, g, w)
		} else {
			pok++
		}
	}
	t.Logf("%s: JSON layers exact %d/%d, frame.protocols %d/%d", name, ok, all, pok, len(wantProtos))
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
			d := c.Dissect(buf[:n])
			fd.ds = append(fd.ds, d)
			buf = buf[n:]
			if d.EndsFrame() {
				buf = nil // tshark's exception ends the frame
				break
			}
		}
		bufs[key] = append([]byte(nil), buf...)
		if len(fd.ds) > 0 {
			out = append(out, fd)
		}
	}
	return out
}
