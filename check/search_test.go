package check

import (
	"context"
	"testing"
)

func TestLargest(t *testing.T) {
	for _, tc := range []struct {
		lo, hi, limit int
		want          int
		found         bool
	}{
		{1, 100, 1000, 100, true}, // everything accepted: the first try
		{1, 100, 37, 37, true},
		{1, 100, 1, 1, true},
		{1, 100, 99, 99, true},
		{5, 100, 3, 5, false}, // not even lo
	} {
		tries := 0
		n, found, err := largest(context.Background(), tc.lo, tc.hi, func(n int) (bool, error) {
			tries++
			return n <= tc.limit, nil
		})
		if err != nil || n != tc.want || found != tc.found {
			t.Errorf("limit %d in [%d,%d]: %d %v %v, want %d %v", tc.limit, tc.lo, tc.hi, n, found, err, tc.want, tc.found)
		}
		if tries > 10 {
			t.Errorf("limit %d: %d tries for a range of 100", tc.limit, tries)
		}
	}
}
