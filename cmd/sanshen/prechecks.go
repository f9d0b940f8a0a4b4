package main

import (
	"context"
	"log/slog"
	"sync"

	"sanshen/client/linkcheck"
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

// newPrechecker returns the offline pre-checks for the GUI. They load on
// first use; preloadChecks starts that early, once the window is usable.
func newPrechecker(english bool) ui.Prechecker {
	return uiPrechecker{english: english}
}

// preloadChecks loads the pre-checks in the background.
func preloadChecks() { go checker() }

func (p uiPrechecker) Check(body, contentType string) (string, []ui.Finding) {
	c, err := checker()
	if err != nil {
		slog.Warn("pre-checks unavailable", "err", err)
		return precheck.Extract(body, contentType).Text, nil
	}
	doc, fs := c.CheckBody(body, contentType)
	return doc.Text, uiFindings(fs, p.english)
}

// uiFindings converts findings to what the screens show, in their language.
func uiFindings(fs []precheck.Finding, english bool) []ui.Finding {
	out := make([]ui.Finding, len(fs))
	for i, f := range fs {
		msg := f.Message
		if english && f.MessageEN != "" {
			msg = f.MessageEN
		}
		out[i] = ui.Finding{Check: f.Check, Rule: f.Rule, Severity: string(f.Severity), Start: f.Start, End: f.End,
			Message: msg, Suggestion: f.Suggestion}
	}
	return out
}

// uiLinks checks the links of HTML bodies for the GUI.
type uiLinks struct {
	c       *linkcheck.Checker
	english bool
}

func newLinkChecker(english bool) ui.LinkChecker {
	return uiLinks{c: linkcheck.New(linkcheck.Options{}), english: english}
}

func (l uiLinks) DeadLinks(ctx context.Context, body, contentType string, done func([]ui.Finding)) {
	l.c.FindingsAsync(ctx, precheck.Extract(body, contentType), func(fs []precheck.Finding) {
		done(uiFindings(fs, l.english))
	})
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
