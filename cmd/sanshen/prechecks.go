package main

import (
	"log/slog"
	"sync"

	"sanshen/review"
	"sanshen/review/precheck"
	"sanshen/ui"
)

// checker builds the offline pre-checks once, on first use: the spelling
// detector takes a moment to load, and the window should not wait for it.
var checker = sync.OnceValues(func() (*precheck.Checker, error) {
	return precheck.New(precheck.Options{})
})

// secrecyChecker is the same without the spelling detector: the demo
// server's secrecy scan needs none of it and should start at once.
var secrecyChecker = sync.OnceValues(func() (*precheck.Checker, error) {
	return precheck.New(precheck.Options{NoSpell: true})
})

// uiPrechecker adapts the pre-checks to what the screens show.
type uiPrechecker struct {
	english bool
}

// newPrechecker returns the offline pre-checks for the GUI, and starts
// loading them in the background.
func newPrechecker(english bool) ui.Prechecker {
	go checker()
	return uiPrechecker{english: english}
}

func (p uiPrechecker) Check(body, contentType string) (string, []ui.Finding) {
	c, err := checker()
	if err != nil {
		slog.Warn("pre-checks unavailable", "err", err)
		return precheck.Extract(body, contentType).Text, nil
	}
	doc, fs := c.CheckBody(body, contentType)
	out := make([]ui.Finding, len(fs))
	for i, f := range fs {
		msg := f.Message
		if p.english && f.MessageEN != "" {
			msg = f.MessageEN
		}
		out[i] = ui.Finding{Check: f.Check, Rule: f.Rule, Severity: string(f.Severity), Start: f.Start, End: f.End,
			Message: msg, Suggestion: f.Suggestion}
	}
	return doc.Text, out
}

// newSecrecyScan returns the demo server's secrecy scan: the pre-checks'
// secrecy findings route an item to the secrecy officer.
func newSecrecyScan() func(body, contentType string) []review.SecrecyFinding {
	return func(body, contentType string) []review.SecrecyFinding {
		c, err := secrecyChecker()
		if err != nil {
			slog.Warn("pre-checks unavailable", "err", err)
			return nil
		}
		return c.SecrecyScan(body, contentType)
	}
}
