// Command synthcap writes a synthetic MQTT capture for bench/decode.sh:
//
//	go run ./bench/synthcap -size 100M -o /tmp/big.pcapng
package main

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/mqtap/mqtap/capture/synth"
)

func main() {
	size := flag.String("size", "100M", "approximate capture size (K, M, G suffixes)")
	out := flag.String("o", "", "output file (default stdout)")
	streams := flag.Int("streams", 4, "concurrent MQTT connections")
	split := flag.Int("split-every", 50, "send every Nth message split over two segments (0: never)")
	flag.Parse()
	n, err := parseSize(*size)
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthcap:", err)
		os.Exit(2)
	}
	w := os.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			fmt.Fprintln(os.Stderr, "synthcap:", err)
			os.Exit(1)
		}
		defer f.Close()
		w = f
	}
	frames, err := synth.Write(w, synth.Options{Size: n, Streams: *streams, SplitEvery: *split})
	if err != nil {
		fmt.Fprintln(os.Stderr, "synthcap:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "synthcap: %d frames\n", frames)
}

func parseSize(s string) (int64, error) {
	mul := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mul, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mul, s = 1<<20, strings.TrimSuffix(s, "M")
	case strings.HasSuffix(s, "G"):
		mul, s = 1<<30, strings.TrimSuffix(s, "G")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mul, nil
}
