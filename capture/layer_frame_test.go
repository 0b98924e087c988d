package capture

import (
	"testing"
	"time"
)

func TestAppendEpoch(t *testing.T) {
	for _, c := range []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 123456789), "1700000000.123456789"},
		{time.Unix(0, 0), "0.000000000"},
		{time.Unix(-2, 5e8), "-1.500000000"},
		{time.Unix(-3, 0), "-3.000000000"},
		// Beyond what an int64 of nanoseconds holds (tshark shows these
		// for pcapng files with coarse resolutions).
		{time.Unix(81985529216486895, 0), "81985529216486895.000000000"},
		{time.Unix(8198552920069657, 4e8), "8198552920069657.400000000"},
	} {
		if got := string(appendEpoch(nil, c.t)); got != c.want {
			t.Errorf("%v: %s, want %s", c.t, got, c.want)
		}
	}
}
