package ui

import "sanshen/review/precheck"

// displayText is the text a reviewer reads for a body: plain text as is;
// HTML reduced to its paragraphs and links (scripts and styles dropped,
// never run).
func displayText(body, contentType string) string {
	return precheck.Extract(body, contentType).Text
}
