package main

import (
	"sanshen/review"
	"sanshen/ui"
)

// newPrechecker returns the offline pre-checks for the GUI.
func newPrechecker() ui.Prechecker { return nil }

// newSecrecyScan returns the demo server's secrecy scan.
func newSecrecyScan() func(body, contentType string) []review.SecrecyFinding { return nil }
