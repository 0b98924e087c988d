package commands

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
)

// isTerminal reports whether w is a terminal (progress bars and colour
// only go to terminals).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// progress redraws one status line on a terminal every 200ms until stop.
type progress struct {
	w     io.Writer
	total int // 0 when unknown (-l)
	stats *pubStats
	stop  chan struct{}
	done  chan struct{}
}

func startProgress(w io.Writer, total int, stats *pubStats) *progress {
	p := &progress{w: w, total: total, stats: stats, stop: make(chan struct{}), done: make(chan struct{})}
	go p.run()
	return p
}

func (p *progress) run() {
	defer close(p.done)
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			fmt.Fprint(p.w, "\r\033[K")
			return
		case <-t.C:
			p.draw()
		}
	}
}

func (p *progress) draw() {
	sent, _, acked, _ := p.stats.snapshot()
	rate := float64(sent) / time.Since(p.stats.start).Seconds()
	if p.total <= 0 {
		fmt.Fprintf(p.w, "\r\033[K%d sent, %d acked, %.0f msg/s", sent, acked, rate)
		return
	}
	const width = 30
	filled := min(width, sent*width/p.total)
	bar := strings.Repeat("=", filled) + strings.Repeat(" ", width-filled)
	fmt.Fprintf(p.w, "\r\033[K[%s] %d/%d sent, %d acked, %.0f msg/s", bar, sent, p.total, acked, rate)
}

// end clears the line and waits for the drawing goroutine.
func (p *progress) end() {
	if p == nil {
		return
	}
	close(p.stop)
	<-p.done
}
