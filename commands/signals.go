package commands

import (
	"context"
	"io"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
)

// interrupts turns SIGINT/SIGTERM into two stages: the first stops the
// input (input is cancelled) and lets the run finish what it has started;
// the second cancels everything (hard) so the run ends at once.
type interrupts struct {
	input, hard context.Context
	count       atomic.Int32
	stop        func()
}

func watchSignals(parent context.Context) *interrupts {
	in := &interrupts{}
	hard, cancelHard := context.WithCancel(parent)
	input, cancelInput := context.WithCancel(hard)
	in.input, in.hard = input, hard
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-ch:
				if in.count.Add(1) == 1 {
					cancelInput()
				} else {
					cancelHard()
				}
			case <-done:
				return
			}
		}
	}()
	in.stop = func() {
		signal.Stop(ch)
		close(done)
		cancelInput()
		cancelHard()
	}
	return in
}

// signalled is how many signals have come.
func (in *interrupts) signalled() int { return int(in.count.Load()) }

// stopReading returns a reader of r whose Read returns ctx's error once
// ctx has ended, even while a Read of r is blocked: stdin left open but
// quiet (pub -l fed by tail -f, say) must not hold up a signal. A Read
// still blocked then is abandoned, to end with the process.
func stopReading(ctx context.Context, r io.Reader) io.Reader {
	return &ctxReader{ctx: ctx, r: r, res: make(chan ctxRead, 1)}
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
	buf []byte // what the Read of r in progress reads into
	res chan ctxRead
}

type ctxRead struct {
	n   int
	err error
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err // and never again touch buf: a Read may still own it
	}
	if len(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	buf := c.buf[:len(p)]
	go func() {
		n, err := c.r.Read(buf)
		c.res <- ctxRead{n, err}
	}()
	select {
	case r := <-c.res:
		return copy(p, buf[:r.n]), r.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}
