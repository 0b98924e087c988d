package commands_test

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mqtap/mqtap/commands"
)

// These helpers compare what a tap (`mqtap proxy` or `mqtap broker`)
// showed live with what `mqtap decode` reads back from the pcap the same
// run wrote with --write. The tap records one frame per MQTT PDU, so each
// PDU it showed is one MQTT frame of the capture. The frame, Ethernet, IP
// and TCP layers of the decode have no live counterpart, and the order of
// concurrent connections' packets may differ between the output and the
// file; so the comparison is per connection, in wire order, of each PDU's
// direction, length, Info and (with -v/-V) its MQTT tree.

// tapPDU is one MQTT PDU as a tap showed it or as decode read it.
type tapPDU struct {
	no       int    // packet (tap) or frame (decode) number
	src, dst string // ports
	label    string // the client id column (tap list lines only)
	length   int    // of the MQTT PDU (decode: the TCP segment length)
	info     string
	tree     string // the MQTT tree, with a final newline; "" if not shown
}

func (p tapPDU) String() string {
	return fmt.Sprintf("#%d %s→%s len %d %q", p.no, p.src, p.dst, p.length, p.info)
}

// tapListRE reads a tap's list line: No. Time Src → Dst ClientID Length Info.
var tapListRE = regexp.MustCompile(`^\s*(\d+)\s+\d+\.\d+\s+(\S+) → (\S+)\s+(\S+)\s+(\d+) (.*)$`)

// parseTapOutput reads summary output, or with tree -v output (each list
// line followed by the tree and a blank line).
func parseTapOutput(t *testing.T, out string, tree bool) []tapPDU {
	t.Helper()
	var blocks []string
	if tree {
		blocks = strings.Split(strings.TrimSuffix(out, "\n\n"), "\n\n")
	} else {
		blocks = strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	}
	var pdus []tapPDU
	for _, blk := range blocks {
		head, body, _ := strings.Cut(blk, "\n")
		m := tapListRE.FindStringSubmatch(head)
		if m == nil {
			t.Fatalf("not a list line: %q\nin output:\n%s", head, out)
		}
		p := tapPDU{no: atoi(m[1]), src: portOf(t, m[2]), dst: portOf(t, m[3]), label: m[4], length: atoi(m[5]), info: m[6]}
		if tree {
			if body == "" {
				t.Fatalf("packet %d has no tree:\n%s", p.no, out)
			}
			p.tree = body + "\n"
		} else if body != "" {
			t.Fatalf("summary output has more than the list line for packet %d: %q", p.no, body)
		}
		pdus = append(pdus, p)
	}
	return pdus
}

func portOf(t *testing.T, addr string) string {
	t.Helper()
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("address %q: %v", addr, err)
	}
	return port
}

// decodeRun runs `mqtap decode` in-process; it must exit 0 (a malformed
// packet exits 7) and print no Malformed mark.
func decodeRun(t *testing.T, args ...string) string {
	t.Helper()
	var out, errOut bytes.Buffer
	code := commands.Run(append([]string{"mqtap", "decode", "--color", "never"}, args...),
		commands.Stdio{In: strings.NewReader(""), Out: &out, Err: &errOut}, commands.BuildInfo{})
	if code != 0 {
		t.Fatalf("mqtap decode %v: exit %d: %s\n%s", args, code, errOut.String(), out.String())
	}
	if strings.Contains(out.String(), "Malformed") {
		t.Fatalf("mqtap decode %v found malformed packets:\n%s", args, out.String())
	}
	return out.String()
}

var (
	decodeListRE  = regexp.MustCompile(`^\s*(\d+)\s+\d+\.\d+\s+\S+ → \S+\s+(\S+)\s+\d+ (.*)$`)
	decodeFrameRE = regexp.MustCompile(`^Frame (\d+): `)
	decodeTCPRE   = regexp.MustCompile(`^Transmission Control Protocol, Src Port: (\d+), Dst Port: (\d+),`)
	decodeSegRE   = regexp.MustCompile(`^    \[TCP Segment Len: (\d+)\]$`)
)

// decodeCapture reads the MQTT frames of a pcap with `mqtap decode` (the
// list) and `mqtap decode -V` (ports, segment length and MQTT section),
// decoding serverPort as MQTT.
func decodeCapture(t *testing.T, pcap, serverPort string) []tapPDU {
	t.Helper()
	as := "tcp.port==" + serverPort + ",mqtt"
	list := decodeRun(t, "-d", as, pcap)
	details := decodeRun(t, "-V", "-d", as, pcap)

	infos := map[int]string{}
	var order []int
	for _, l := range strings.Split(strings.TrimSuffix(list, "\n"), "\n") {
		m := decodeListRE.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("mqtap decode: not a list line: %q", l)
		}
		if m[2] == "MQTT" {
			infos[atoi(m[1])] = m[3]
			order = append(order, atoi(m[1]))
		}
	}

	frames := map[int]*tapPDU{}
	var cur *tapPDU
	var tree []string
	sections := map[int]int{}
	end := func() {
		if cur != nil && len(tree) > 0 {
			for len(tree) > 0 && tree[len(tree)-1] == "" {
				tree = tree[:len(tree)-1]
			}
			cur.tree = strings.Join(tree, "\n") + "\n"
			frames[cur.no] = cur
		}
		cur, tree = nil, nil
	}
	for _, l := range strings.Split(details, "\n") {
		if m := decodeFrameRE.FindStringSubmatch(l); m != nil {
			end()
			cur = &tapPDU{no: atoi(m[1]), length: -1}
			continue
		}
		if cur == nil {
			continue
		}
		if tree != nil || strings.HasPrefix(l, "MQ Telemetry Transport Protocol") {
			if strings.HasPrefix(l, "MQ Telemetry Transport Protocol") {
				sections[cur.no]++
			}
			tree = append(tree, l)
			continue
		}
		if m := decodeTCPRE.FindStringSubmatch(l); m != nil {
			cur.src, cur.dst = m[1], m[2]
		} else if m := decodeSegRE.FindStringSubmatch(l); m != nil {
			cur.length = atoi(m[1])
		}
	}
	end()

	if len(frames) != len(order) {
		t.Fatalf("mqtap decode lists %d MQTT frames, -V shows %d:\n%s", len(order), len(frames), list)
	}
	pdus := make([]tapPDU, 0, len(order))
	for _, no := range order {
		f := frames[no]
		switch {
		case f == nil:
			t.Fatalf("frame %d is MQTT in the list but has no MQTT section in -V", no)
		case sections[no] != 1:
			t.Fatalf("frame %d holds %d MQTT PDUs; the tap records one per frame", no, sections[no])
		case f.src == "" || f.length < 0:
			t.Fatalf("frame %d: no TCP ports or segment length in -V", no)
		}
		f.info = infos[no]
		pdus = append(pdus, *f)
	}
	return pdus
}

// byConnection groups PDUs by the client's port, keeping their order.
func byConnection(t *testing.T, pdus []tapPDU, serverPort string) map[string][]tapPDU {
	t.Helper()
	conns := map[string][]tapPDU{}
	for _, p := range pdus {
		var client string
		switch serverPort {
		case p.dst:
			client = p.src
		case p.src:
			client = p.dst
		default:
			t.Fatalf("%v is not to or from the server port %s", p, serverPort)
		}
		conns[client] = append(conns[client], p)
	}
	return conns
}

// compareWithCapture checks that each connection's PDUs as shown are the
// capture's, in order: direction, length, Info and, with trees, the MQTT
// tree line for line.
func compareWithCapture(t *testing.T, shown, decoded []tapPDU, serverPort string, trees bool) {
	t.Helper()
	live, file := byConnection(t, shown, serverPort), byConnection(t, decoded, serverPort)
	if len(live) != len(file) {
		t.Errorf("shown: %d connections, capture: %d", len(live), len(file))
	}
	for _, client := range sortedKeys(live, file) {
		l, f := live[client], file[client]
		if len(l) != len(f) {
			t.Errorf("client port %s: %d PDUs shown, %d in the capture\nshown: %v\ncapture: %v", client, len(l), len(f), l, f)
			continue
		}
		for i := range l {
			if l[i].src != f[i].src || l[i].length != f[i].length || l[i].info != f[i].info {
				t.Errorf("client port %s PDU %d: shown %v, capture %v", client, i+1, l[i], f[i])
			}
			if trees && l[i].tree != f[i].tree {
				t.Errorf("client port %s PDU %d (%s): the live tree differs from mqtap decode -V's: %s\nlive:\n%s\ndecode -V:\n%s",
					client, i+1, l[i].info, firstLineDiff(f[i].tree, l[i].tree), l[i].tree, f[i].tree)
			}
		}
	}
}

func sortedKeys(maps ...map[string][]tapPDU) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

// firstLineDiff names the first line where got differs from want.
func firstLineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d: decode %q, live %q", i+1, wl, gl)
		}
	}
	return "no line differs"
}

// waitShown waits until a tap run has shown n packets (list lines, or
// JSON lines).
func waitShown(t *testing.T, run *tapCLI, n int, what string) {
	t.Helper()
	deadline := time.Now().Add(tapWait)
	for {
		if countShown(run.out.String()) >= n {
			return
		}
		select {
		case code := <-run.code:
			// The tap may have printed the last packets and exited (-c
			// reached) since the count above: count what it printed in all.
			out := run.out.String()
			if countShown(out) >= n {
				run.code <- code // for run.wait
				return
			}
			t.Fatalf("%s: the tap exited %d after %d of %d packets: %s\n%s", what, code, countShown(out), n, run.errOut.String(), out)
		default:
		}
		if time.Now().After(deadline) {
			out := run.out.String()
			t.Fatalf("%s: %d of %d packets shown within %v:\n%s", what, countShown(out), n, tapWait, out)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countShown counts the packets in a tap's output: list lines or jsonl
// objects.
func countShown(out string) int {
	shown := 0
	for _, l := range strings.Split(out, "\n") {
		if tapListRE.MatchString(l) || strings.HasPrefix(l, `{"frame":`) {
			shown++
		}
	}
	return shown
}

// checkLabels checks every packet of a connection carries its client's id.
func checkLabels(t *testing.T, pdus []tapPDU, serverPort string, ids map[string]bool) {
	t.Helper()
	for client, conn := range byConnection(t, pdus, serverPort) {
		label := conn[0].label
		if !ids[label] {
			t.Errorf("client port %s shown as %q, want one of %v", client, label, ids)
		}
		for _, p := range conn {
			if p.label != label {
				t.Errorf("client port %s: %v labelled %q, its CONNECT %q", client, p, p.label, label)
			}
		}
	}
}

// answers maps each acknowledgement to the packet it answers.
var answers = map[string]string{
	"Connect Ack":      "Connect Command",
	"Subscribe Ack":    "Subscribe Request",
	"Unsubscribe Ack":  "Unsubscribe Request",
	"Publish Ack":      "Publish Message",
	"Publish Received": "Publish Message",
	"Publish Release":  "Publish Received",
	"Publish Complete": "Publish Release",
	"Ping Response":    "Ping Request",
}

var infoTypeRE = regexp.MustCompile(`^([A-Za-z ]+?)(?: \(id=(\d+)\))?(?: \[.*\])?$`)

// checkWireOrder checks that, within each connection, every
// acknowledgement is shown after the packet it answers (sent the other
// way, with the same packet id): the order in which they crossed the wire.
func checkWireOrder(t *testing.T, pdus []tapPDU, serverPort, what string) {
	t.Helper()
	for client, conn := range byConnection(t, pdus, serverPort) {
		errs := 0
		for i, p := range conn {
			m := infoTypeRE.FindStringSubmatch(p.info)
			if m == nil {
				continue
			}
			req, ok := answers[m[1]]
			if !ok {
				continue
			}
			found := false
			for _, q := range conn[:i] {
				if n := infoTypeRE.FindStringSubmatch(q.info); n != nil && n[1] == req && n[2] == m[2] && q.src == p.dst {
					found = true
				}
			}
			if !found {
				t.Errorf("%s, client port %s: %v shown before the %s it answers; the connection's packets around it:\n%v",
					what, client, p, req, conn[max(0, i-3):min(len(conn), i+4)])
				if errs++; errs == 3 {
					break
				}
			}
		}
	}
}

// TestProxyPubSubMatchesCapture: `mqtap sub` (MQTT 5) and `mqtap pub`
// (3.1.1 QoS 2, 5 QoS 1, 3.1 QoS 0) through `mqtap proxy --write` to an
// in-process mochi broker: the messages arrive, every packet is shown with
// its client id, and the live output (-v trees, and the summary) equals
// mqtap decode -V (resp. the list) of the pcap the proxy wrote.
func TestProxyPubSubMatchesCapture(t *testing.T) {
	for _, mode := range []string{"tree", "summary"} {
		t.Run(mode, func(t *testing.T) {
			b := startBroker(t, brokerOptions{})
			pcap := filepath.Join(t.TempDir(), "proxy.pcap")
			const total = 28
			run := startTapCLI("proxy", "--listen", "127.0.0.1:0", "--upstream", "127.0.0.1:"+b.port,
				"--output", mode, "--color", "never", "--write", pcap, "-c", strconv.Itoa(total), "--duration", "60s")
			_, port, _ := net.SplitHostPort(run.addr(t))

			sub := background(nil, "sub", "-h", "127.0.0.1", "-p", port, "-i", "cli-sub", "-V", "5", "-t", "viaproxy/#", "-q", "2", "-C", "3")
			b.waitSubscribed(t, "viaproxy/#", 1)
			waitShown(t, run, 4, "sub CONNECT/SUBSCRIBE")
			// Each publish's exchanges end before the next starts, so the
			// packet count (and -c) is exact.
			shown := 4
			for _, p := range []struct {
				id, version, qos, topic, msg string
				packets                      int // pub's and sub's
			}{
				{"cli-pub311", "311", "2", "viaproxy/q2", "two", 7 + 4},
				{"cli-pub5", "5", "1", "viaproxy/q1", "one", 5 + 2},
				{"cli-pub31", "31", "0", "viaproxy/q0", "zero", 4 + 1 + 1}, // and sub's DISCONNECT
			} {
				expectCode(t, mqtap(nil, "pub", "-h", "127.0.0.1", "-p", port, "-i", p.id, "-V", p.version, "-q", p.qos, "-t", p.topic, "-m", p.msg), 0)
				shown += p.packets
				waitShown(t, run, shown, "publish by "+p.id)
			}
			res := sub.wait(t)
			expectCode(t, res, 0)
			if res.out != "two\none\nzero\n" {
				t.Errorf("sub printed %q", res.out)
			}
			out := run.wait(t)

			live := parseTapOutput(t, out, mode == "tree")
			if len(live) != total {
				t.Fatalf("%d packets shown, want %d:\n%s", len(live), total, out)
			}
			checkLabels(t, live, b.port, map[string]bool{"cli-sub": true, "cli-pub311": true, "cli-pub5": true, "cli-pub31": true})
			decoded := decodeCapture(t, pcap, b.port)
			if len(decoded) != total {
				t.Errorf("the capture holds %d MQTT PDUs, want %d", len(decoded), total)
			}
			compareWithCapture(t, live, decoded, b.port, mode == "tree")
			checkWireOrder(t, live, b.port, "proxy output")
		})
	}
}
