// Package check is mqtap's broker conformance battery: named checks that
// each pass, fail (what was expected, what happened) or are skipped (a
// capability the broker does not offer, with the evidence), a runner that
// runs them in parallel with a per-check timeout, and the reports (a
// table, JUnit XML, JSON). It talks to the broker only through mqttwire
// and knows nothing of flags, terminals or exit codes.
package check
