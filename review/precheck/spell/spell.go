// Package spell is Sanshen's statistical Chinese spelling detector.
//
// It flags characters that make an unlikely sequence and proposes the
// characters the writer most likely meant. For each Han character it tries
// the characters of the same sound or a similar shape (pycorrector's
// confusion sets, plus the typo pairs seen in ECSpell's official-document
// training sentences), and for each two neighbouring characters the common
// two-character words whose characters are confusable with both. A
// replacement is scored by how much it raises the best word segmentation of
// the text (a unigram model of jieba's word frequencies) and an in-domain
// character bigram/trigram model (the corrected training sentences), with the
// word lengths and frequencies involved, the kind of confusion and how often
// the pair was a typo in training. Two logistic models (single characters,
// pairs) fitted on ECSpell's train split turn this into a probability, and
// only replacements above a threshold chosen there for precision are
// reported; where replacements overlap, the most probable wins.
//
// Use:
//
//	d, err := spell.Default() // built once from the embedded data (assets.Spell)
//	for _, h := range d.Check(text) {
//		// text's runes [h.Start, h.End) hold h.Wrong (one or two
//		// characters); h.Suggestion is the likely correction, as long;
//		// h.Score in (0, 1] is the model's probability.
//	}
//
// Check accepts any string: invalid UTF-8 bytes count as one rune each (as
// []rune(text) does) and are never flagged, only runs of Han characters are
// examined (Latin, digits and punctuation separate them), and the work is
// linear in the length of the text. Hits come in order and never overlap. A
// Detector is safe for concurrent use. The package does no I/O beyond
// reading the embedded data; building it takes a few hundred milliseconds
// and about 13 MiB of heap, so callers may warm it up in the background.
package spell

import (
	"cmp"
	"slices"
	"sync"
)

// Hit is one likely typo.
type Hit struct {
	Start, End int     // rune offsets into the checked text, half-open
	Wrong      string  // the text at [Start, End)
	Suggestion string  // the likely correction, as long as Wrong
	Score      float64 // confidence in (0, 1]: the model's probability
}

// Detector finds likely typos. Build it with Default.
type Detector struct {
	lex    *lexicon
	conf   confusions
	common charSet // characters that may be proposed
	pairs  pairStats
	model  model
	lm     *charLM

	lattices sync.Pool
}

// Check returns the likely typos in text, in order of position.
func (d *Detector) Check(text string) []Hit {
	var hits []Hit
	lat, _ := d.lattices.Get().(*lattice)
	if lat == nil {
		lat = newLattice(d.lex)
	}
	defer d.lattices.Put(lat)
	runes := []rune(text)
	for start := 0; start < len(runes); {
		if !isHan(runes[start]) {
			start++
			continue
		}
		end := start + 1
		for end < len(runes) && isHan(runes[end]) {
			end++
		}
		hits = d.checkRun(lat, runes[start:end], start, hits)
		start = end
	}
	return hits
}

// checkRun appends the hits of one run of Han characters starting at rune
// offset off: the passing candidates, best first, that overlap no better one.
func (d *Detector) checkRun(lat *lattice, chars []rune, off int, hits []Hit) []Hit {
	lat.reset(chars)
	var found []Hit
	d.candidates(lat, func(f *features) {
		s := d.model.score(f)
		if !d.model.passes(f.size, s) {
			return
		}
		found = append(found, Hit{
			Start: off + f.pos, End: off + f.pos + f.size,
			Wrong: string(f.from[:f.size]), Suggestion: string(f.to[:f.size]),
			Score: s,
		})
	})
	if len(found) == 0 {
		return hits
	}
	// Best first; ties go to the earlier, then the shorter hit.
	slices.SortStableFunc(found, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Start, b.Start); c != 0 {
			return c
		}
		return cmp.Compare(a.End, b.End)
	})
	first := len(hits)
	taken := make([]bool, len(chars))
	for _, h := range found {
		if slices.Contains(taken[h.Start-off:h.End-off], true) {
			continue
		}
		for i := h.Start - off; i < h.End-off; i++ {
			taken[i] = true
		}
		hits = append(hits, h)
	}
	slices.SortFunc(hits[first:], func(a, b Hit) int { return cmp.Compare(a.Start, b.Start) })
	return hits
}
