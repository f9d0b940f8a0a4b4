package spell

import "slices"

// features describes one possible correction: size (1 or 2) neighbouring
// characters of a run, from pos on, replaced by to.
type features struct {
	pos, size int
	from, to  [2]rune
	kind      [2]uint8
	// gain is how much the best segmentation's log probability rises with
	// the replacement.
	gain float64
	// The word covering pos in the best segmentation before, and the word
	// covering the last replaced character after.
	oldLen, newLen int
	oldLP, newLP   float64
	// newWhole: one word covers every replaced character after; oldWhole:
	// one word covered them all before.
	newWhole, oldWhole bool
	// Log probabilities of the characters on their own, summed.
	fromLP, toLP float64
	// Training-data statistics, summed over the replaced characters: times
	// from was a typo for to; times from was seen in typo-bearing text.
	pairCount, seenCount int
}

// minGain is the least gain a candidate needs to be scored at all: a
// replacement that does not make the text more likely is never proposed.
const minGain = 0

// candidates calls fn for each correction the confusion sets allow in the
// run held by lat (after lat.reset) whose gain exceeds minGain: single
// characters replaced by a confusable one, and two neighbouring characters
// both replaced to make a common word.
func (d *Detector) candidates(lat *lattice, fn func(f *features)) {
	base := lat.fwd[len(lat.chars)]
	chars := lat.chars
	var f features
	var sub [2]rune
	for p, from := range chars {
		list := d.conf[from]
		if len(list) == 0 {
			continue
		}
		os, oe := lat.coverStart[p], lat.coverEnd[p]
		oldLP := lat.spanLogP(os, oe)
		fromLP := float64(d.lex.char(from))
		seen := d.pairs.seen[from]
		for _, c := range list {
			if !d.usable(c.r) {
				continue
			}
			sub[0] = c.r
			score, s, e, lp := lat.best(p, sub[:1])
			if score-base <= minGain {
				continue
			}
			f = features{
				pos: p, size: 1,
				from: [2]rune{from}, to: [2]rune{c.r}, kind: [2]uint8{c.kind},
				gain:   score - base,
				oldLen: oe - os, oldLP: oldLP,
				newLen: e - s, newLP: lp,
				newWhole: true, oldWhole: true,
				fromLP: fromLP, toLP: float64(d.lex.char(c.r)),
				pairCount: d.pairs.wrongAs[[2]rune{from, c.r}], seenCount: seen,
			}
			fn(&f)
		}
		if p+1 >= len(chars) {
			continue
		}
		next := chars[p+1]
		nextList := d.conf[next]
		if len(nextList) == 0 {
			continue
		}
		for _, c := range list {
			if !d.usable(c.r) {
				continue
			}
			for _, second := range d.lex.twoChar[c.r] {
				i, ok := slices.BinarySearchFunc(nextList, second, func(a candidate, r rune) int { return int(a.r - r) })
				if !ok || !d.usable(second) {
					continue
				}
				c2 := nextList[i]
				sub = [2]rune{c.r, c2.r}
				score, s, e, lp := lat.best(p, sub[:])
				if score-base <= minGain {
					continue
				}
				f = features{
					pos: p, size: 2,
					from: [2]rune{from, next}, to: sub, kind: [2]uint8{c.kind, c2.kind},
					gain:   score - base,
					oldLen: oe - os, oldLP: oldLP,
					newLen: e - s, newLP: lp,
					newWhole: s <= p, oldWhole: oe > p+1,
					fromLP: fromLP + float64(d.lex.char(next)),
					toLP:   float64(d.lex.char(c.r) + d.lex.char(c2.r)),
					pairCount: d.pairs.wrongAs[[2]rune{from, c.r}] + d.pairs.wrongAs[[2]rune{next, c2.r}],
					seenCount: seen + d.pairs.seen[next],
				}
				fn(&f)
			}
		}
	}
}

// usable reports whether r may be proposed as a correction: a common
// character.
func (d *Detector) usable(r rune) bool {
	_, ok := d.common[r]
	return ok
}
