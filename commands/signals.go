package commands

import (
	"context"
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
