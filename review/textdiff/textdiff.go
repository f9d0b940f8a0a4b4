// Package textdiff compares two versions of a document, written mostly in
// Chinese, and says what changed in a form a reviewer can read: segments of
// equal, inserted and deleted text that rebuild both versions byte for byte.
//
// The diff works from structure down. Paragraphs (lines) are compared first
// as whole units with go-diff's line mode over unit hashes; changed paragraphs
// are paired by similarity, not by position; long paired paragraphs are cut
// into sentences and compared the same way; and paired units are finally
// compared per character for Chinese and per word for Latin letters and
// digits. A paragraph that moved reads as one delete plus one insert (marked
// as a move), never as character soup. A cleanup that knows Chinese
// punctuation (。！？；：，、 and the full-width space) places edits on
// boundaries and leaves no one-character islands of equal text between
// changes.
//
// Diff runs under a time budget. When the budget runs out the rest of the
// work is done at a coarser level (whole sentences or paragraphs) and the
// result says so (Degraded); identical paragraphs always stay equal, so two
// texts that share most of their content never come back as "delete all,
// insert all".
//
// The package is pure: no UI, no network, no storage. The command mode
// (`sanshen diff`) and the desktop client render its Result.
package textdiff

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Op is what a segment does to the old text.
type Op string

// The three operations of a diff.
const (
	OpEqual  Op = "equal"  // text in both versions
	OpInsert Op = "insert" // text only in the new version
	OpDelete Op = "delete" // text only in the old version
)

// Segment is a run of text with one operation. Its JSON form is
// {"op":"equal"|"insert"|"delete","text":"…"}.
type Segment struct {
	Op   Op     `json:"op"`
	Text string `json:"text"`
	// Move is non-zero on the delete and the insert that are the two ends of
	// one moved paragraph: both carry the same number (1, 2, …).
	Move int `json:"-"`
}

// String returns the segment for debugging: its op and its quoted text.
func (s Segment) String() string {
	if s.Move != 0 {
		return fmt.Sprintf("%s(move %d) %q", s.Op, s.Move, s.Text)
	}
	return fmt.Sprintf("%s %q", s.Op, s.Text)
}

// Stats summarises a diff for the reader. Rune counts count each invalid
// UTF-8 byte as one rune. Paragraphs are lines; blank lines are not counted.
type Stats struct {
	RunesInserted      int `json:"runes_inserted"`
	RunesDeleted       int `json:"runes_deleted"`
	ParagraphsChanged  int `json:"paragraphs_changed"`  // in both versions, edited inside
	ParagraphsInserted int `json:"paragraphs_inserted"` // only in the new version
	ParagraphsDeleted  int `json:"paragraphs_deleted"`  // only in the old version
	ParagraphsMoved    int `json:"paragraphs_moved"`    // moved elsewhere (possibly edited too)
}

// Result is a diff of two texts. Its JSON form is
// {"segments":[…],"degraded":false,"stats":{…}}.
type Result struct {
	Segments []Segment `json:"segments"`
	// Degraded is true when the time budget ran out (or the context was
	// cancelled) and parts of the diff are coarser than they could be:
	// whole sentences or paragraphs instead of characters. The segments
	// are still exact.
	Degraded bool  `json:"degraded"`
	Stats    Stats `json:"stats"`
}

// Options tune Diff. The zero value is ready to use.
type Options struct {
	// Budget bounds the time Diff spends before it falls back to coarser
	// units. Zero means DefaultBudget; a negative budget means no limit.
	Budget time.Duration
}

// DefaultBudget is the time budget used when Options.Budget is zero. The
// 500 KB regulation of the benchmarks needs a few tens of milliseconds.
const DefaultBudget = time.Second

// Diff compares oldText with newText. Either may be invalid UTF-8: invalid
// bytes are compared as bytes and kept as they are. Diff stops refining when
// ctx is done or the budget runs out, and then returns a coarser, still exact
// result with Degraded set.
func Diff(ctx context.Context, oldText, newText string, opts Options) *Result {
	budget := opts.Budget
	if budget == 0 {
		budget = DefaultBudget
	}
	d := newDiffer(ctx, oldText, newText, budget)
	d.run()
	return d.result()
}

// OldText rebuilds the old text: equal and deleted segments in order.
func (r *Result) OldText() string { return r.side(OpDelete) }

// NewText rebuilds the new text: equal and inserted segments in order.
func (r *Result) NewText() string { return r.side(OpInsert) }

func (r *Result) side(change Op) string {
	var b strings.Builder
	for _, s := range r.Segments {
		if s.Op == OpEqual || s.Op == change {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// Identical reports whether the two texts are the same.
func (r *Result) Identical() bool {
	for _, s := range r.Segments {
		if s.Op != OpEqual {
			return false
		}
	}
	return true
}

// countRunes counts runes, each invalid byte as one.
func countRunes(s string) int { return utf8.RuneCountInString(s) }
