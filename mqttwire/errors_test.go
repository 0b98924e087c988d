package mqttwire

import (
	"errors"
	"fmt"
	"io"
	"testing"
)

// TestErrorsThroughWrapping: callers wrap decode errors once per layer and
// still find them with errors.As and errors.Is.
func TestErrorsThroughWrapping(t *testing.T) {
	for _, tp := range badPackets {
		_, _, err := Decode(tp.raw, tp.version)
		wrapped := fmt.Errorf("decode frame 7: %w", err)
		switch want := tp.err.(type) {
		case *MalformedError:
			var me *MalformedError
			if !errors.As(wrapped, &me) || me.Offset != want.Offset || me.Field != want.Field {
				t.Errorf("%s: errors.As(wrapped) = %v", tp.name, me)
			}
			if errors.Is(wrapped, ErrIncomplete) != want.Incomplete {
				t.Errorf("%s: errors.Is(wrapped, ErrIncomplete) != %v", tp.name, want.Incomplete)
			}
			var pe *ProtocolError
			if errors.As(wrapped, &pe) {
				t.Errorf("%s: a MalformedError is also a ProtocolError", tp.name)
			}
		case *ProtocolError:
			var pe *ProtocolError
			if !errors.As(wrapped, &pe) || pe.Code != want.Code {
				t.Errorf("%s: errors.As(wrapped) = %v", tp.name, pe)
			}
			var me *MalformedError
			if errors.As(wrapped, &me) || errors.Is(wrapped, ErrIncomplete) {
				t.Errorf("%s: a ProtocolError is also malformed or incomplete", tp.name)
			}
		}
	}
}

func TestMalformedErrorIs(t *testing.T) {
	me := &MalformedError{Incomplete: true}
	if !errors.Is(me, ErrIncomplete) || errors.Is(me, io.EOF) {
		t.Errorf("incomplete MalformedError: Is(ErrIncomplete) %v, Is(io.EOF) %v", errors.Is(me, ErrIncomplete), errors.Is(me, io.EOF))
	}
	me.Incomplete = false
	if errors.Is(me, ErrIncomplete) {
		t.Errorf("complete MalformedError is ErrIncomplete")
	}
}

// TestEveryBadPacketHasOneErrorKind: the table has both kinds, and every
// error points inside the packet.
func TestEveryBadPacketHasOneErrorKind(t *testing.T) {
	kinds := map[string]int{}
	for _, tp := range badPackets {
		var me *MalformedError
		var pe *ProtocolError
		switch {
		case errors.As(tp.err, &me):
			kinds["malformed"]++
			if me.Incomplete {
				kinds["incomplete"]++
			}
			if me.Offset < 0 || me.Offset > len(tp.raw) {
				t.Errorf("%s: offset %d outside the %d bytes", tp.name, me.Offset, len(tp.raw))
			}
		case errors.As(tp.err, &pe):
			kinds["protocol"]++
			if pe.Offset < 0 || pe.Offset > len(tp.raw) || pe.Code < 0x80 {
				t.Errorf("%s: offset %d, code %#x", tp.name, pe.Offset, pe.Code)
			}
		default:
			t.Errorf("%s: no error", tp.name)
		}
	}
	if kinds["malformed"] < 10 || kinds["protocol"] < 10 || kinds["incomplete"] < 3 {
		t.Errorf("bad packets by kind: %v", kinds)
	}
}
