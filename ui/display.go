package ui

import "sanshen/review"

// displayText is the text a reviewer reads for a body: plain text as is;
// HTML reduced to its paragraphs and links (scripts and styles dropped,
// never run).
func displayText(body, contentType string) string {
	if contentType != review.ContentHTML {
		return body
	}
	return body // TODO(lead): reduce HTML through review/precheck's extractor once it lands
}
