package spell

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
	// lmGain is how much the in-domain character bigram model gains.
	lmGain, triGain float64
	// rival is the best gain of a competing single replacement: at the same
	// position for a single, at either position for a pair. both: each
	// character of a pair has a single replacement of its own.
	rival float64
	both  bool
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
	n := len(chars)
	var sub [2]rune
	// Single characters first, to know each position's best and second-best
	// single replacement.
	singles := lat.singles[:0]
	best := grow(lat.bestGain, n)
	second := grow(lat.secondGain, n)
	clear(best)
	clear(second)
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
			gain := score - base
			if gain <= minGain {
				continue
			}
			if gain > best[p] {
				best[p], second[p] = gain, best[p]
			} else if gain > second[p] {
				second[p] = gain
			}
			singles = append(singles, features{
				pos: p, size: 1,
				from: [2]rune{from}, to: [2]rune{c.r}, kind: [2]uint8{c.kind},
				gain:   gain,
				oldLen: oe - os, oldLP: oldLP,
				newLen: e - s, newLP: lp,
				newWhole: true, oldWhole: true,
				fromLP: fromLP, toLP: float64(d.lex.char(c.r)),
				pairCount: d.pairs.wrongAs[[2]rune{from, c.r}], seenCount: seen,
				lmGain: d.lm.gain(chars, p, sub[:1]), triGain: d.lm.trigramGain(chars, p, sub[:1]),
			})
		}
	}
	lat.singles, lat.bestGain, lat.secondGain = singles, best, second
	for i := range singles {
		f := &singles[i]
		if f.gain >= best[f.pos] {
			f.rival = second[f.pos]
		} else {
			f.rival = best[f.pos]
		}
		fn(f)
	}
	var f features
	for p := 0; p+1 < n; p++ {
		from, next := chars[p], chars[p+1]
		list, nextList := d.conf[from], d.conf[next]
		if len(list) == 0 || len(nextList) == 0 {
			continue
		}
		os, oe := lat.coverStart[p], lat.coverEnd[p]
		oldLP := lat.spanLogP(os, oe)
		for _, c := range list {
			if !d.usable(c.r) {
				continue
			}
			// The words c.r begins whose second character is confusable
			// with next: both lists are sorted.
			seconds, i := d.lex.twoChar[c.r], 0
			for _, second := range seconds {
				for i < len(nextList) && nextList[i].r < second {
					i++
				}
				if i == len(nextList) {
					break
				}
				if nextList[i].r != second || !d.usable(second) {
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
					fromLP:    float64(d.lex.char(from) + d.lex.char(next)),
					toLP:      float64(d.lex.char(c.r) + d.lex.char(c2.r)),
					pairCount: d.pairs.wrongAs[[2]rune{from, c.r}] + d.pairs.wrongAs[[2]rune{next, c2.r}],
					seenCount: d.pairs.seen[from] + d.pairs.seen[next],
					lmGain:    d.lm.gain(chars, p, sub[:]), triGain: d.lm.trigramGain(chars, p, sub[:]),
					rival: max(best[p], best[p+1]),
					both:  best[p] > 0 && best[p+1] > 0,
				}
				fn(&f)
			}
		}
	}
}

// usable reports whether r may be proposed as a correction: a common
// character.
func (d *Detector) usable(r rune) bool {
	return d.common.has(r)
}
