package check

import "context"

// largest finds the largest n in [lo, hi] that ok accepts, assuming that
// whatever is accepted, anything smaller is too: it tries hi first (the
// common answer on a permissive broker), then bisects. found is false
// when not even lo is accepted.
func largest(ctx context.Context, lo, hi int, ok func(n int) (bool, error)) (n int, found bool, err error) {
	if yes, err := ok(hi); err != nil || yes {
		return hi, yes, err
	}
	if yes, err := ok(lo); err != nil || !yes {
		return lo, false, err
	}
	// Invariant: lo accepted, hi refused.
	for hi-lo > 1 {
		if err := ctx.Err(); err != nil {
			return lo, true, err
		}
		mid := lo + (hi-lo)/2
		yes, err := ok(mid)
		if err != nil {
			return lo, true, err
		}
		if yes {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, true, nil
}
