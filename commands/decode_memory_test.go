package commands_test

import (
	"bufio"
	"encoding/hex"
	"fmt"
	"io"
	"os/exec"
	"testing"
	"time"
)

// decode streams hex input: a 120 MB xxd dump on stdin (28 MB of MQTT
// bytes, 450000 PUBLISH packets) decodes in memory that does not grow with
// it. Holding the text would take 120 MB, holding the bytes 28 MB.
func TestDecodeHexBoundedMemory(t *testing.T) {
	const dumpBytes = 120 << 20
	const bound = 32 * mib
	cmd := exec.Command(mqtapBinary(t), "decode", "-T", "jsonl", "-")
	cmd.Stdout = io.Discard
	stderr := &syncBuffer{}
	cmd.Stderr = stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdout: &syncBuffer{}, stderr: stderr, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		cmd.Wait()
		close(p.done)
	}()
	go p.watchHWM()
	t.Cleanup(func() { cmd.Process.Kill(); <-p.done })
	go func() {
		defer stdin.Close()
		w := bufio.NewWriterSize(stdin, 64<<10)
		defer w.Flush()
		// A PUBLISH: topic "t/" and a JSON payload.
		body := "\x00\x02t/" + `{"temperature":21.5,"humidity":40,"ok":true,"site":"lab"}`
		pub := append([]byte{0x30, byte(len(body))}, body...)
		var line [16]byte
		var buf [2]byte
		n, off := 0, 0
		flush := func() {
			fmt.Fprintf(w, "%08x: ", off-n)
			for i := range 16 {
				if i < n {
					w.Write(hex.AppendEncode(buf[:0], line[i:i+1]))
				} else {
					w.WriteString("  ")
				}
				if i%2 == 1 {
					w.WriteByte(' ')
				}
			}
			w.WriteString(" ................\n")
			n = 0
		}
		for written := 0; written < dumpBytes; written += 68 * len(pub) / 16 {
			for _, c := range pub {
				line[n] = c
				n++
				off++
				if n == 16 {
					flush()
				}
			}
		}
		if n > 0 {
			flush()
		}
	}()
	start := time.Now()
	if code := p.wait(t, 3*time.Minute); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rss := p.peakRSS(t)
	t.Logf("%d MB of xxd dump in %v, peak RSS %.1f MiB", dumpBytes>>20, time.Since(start).Round(time.Millisecond), float64(rss)/mib)
	if rss > bound {
		t.Errorf("peak RSS %.1f MiB, want under %d MiB", float64(rss)/mib, bound/mib)
	}
}
