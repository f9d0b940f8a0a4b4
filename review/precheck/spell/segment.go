package spell

import "math"

// negInf marks a span that is not a word.
var negInf = math.Inf(-1)

// lattice holds, for one run of Han characters, the best unigram
// segmentation scores of every prefix (fwd) and suffix (bwd). With them the
// best segmentation of the run with a few neighbouring characters replaced
// needs only the words near the replacement: O(maxWordLen²) lookups.
type lattice struct {
	lex   *lexicon
	chars []rune
	fwd   []float64
	bwd   []float64
	// cover[p] is the word [start, end) covering p in the best segmentation.
	coverStart, coverEnd []int
	back                 []int  // best start of the last word of each prefix
	links                []bool // links[i]: chars i-1 and i may stand in one word
	// The replacement in force: chars[subPos:subPos+len(sub)] read as sub.
	subPos int
	sub    []rune
	local  [maxWordLen]float64 // forward scores inside the replacement

	// Scratch space of Detector.candidates.
	singles              []features
	bestGain, secondGain []float64
}

func newLattice(lex *lexicon) *lattice { return &lattice{lex: lex} }

// at is the character at i, replacement included.
func (l *lattice) at(i int) rune {
	if j := i - l.subPos; j >= 0 && j < len(l.sub) {
		return l.sub[j]
	}
	return l.chars[i]
}

// spanLogP is the log probability of the span [s, e) as one word,
// replacement included. Single characters always count as words; longer
// spans that are not words give negInf.
func (l *lattice) spanLogP(s, e int) float64 {
	if e-s == 1 {
		return float64(l.lex.char(l.at(s)))
	}
	h := hashSeed
	for i := s; i < e; i++ {
		h = h.add(l.at(i))
	}
	if v, ok := l.lex.words.get(h.sum()); ok {
		return float64(v)
	}
	return negInf
}

// linked reports whether the characters at i-1 and i may stand in one word,
// replacement included.
func (l *lattice) linked(i int) bool {
	if i < l.subPos || i > l.subPos+len(l.sub) {
		return l.links[i]
	}
	return l.lex.inWord(l.at(i-1), l.at(i))
}

// reset computes the forward and backward scores of chars.
func (l *lattice) reset(chars []rune) {
	n := len(chars)
	l.chars, l.sub, l.subPos = chars, nil, -1
	l.fwd = grow(l.fwd, n+1)
	l.bwd = grow(l.bwd, n+1)
	l.back = growInt(l.back, n+1)
	l.links = growBool(l.links, n)
	for i := 1; i < n; i++ {
		l.links[i] = l.lex.inWord(chars[i-1], chars[i])
	}
	// Forward scores, pushed from each start over the words that begin
	// there; on a tie the longer last word wins.
	l.fwd[0] = 0
	for e := 1; e <= n; e++ {
		l.fwd[e] = negInf
	}
	for s := 0; s < n; s++ {
		if v := l.fwd[s] + l.spanLogP(s, s+1); v > l.fwd[s+1] {
			l.fwd[s+1], l.back[s+1] = v, s
		}
		l.words(s, s+2, func(e int, w float64) {
			if v := l.fwd[s] + w; v > l.fwd[e] {
				l.fwd[e], l.back[e] = v, s
			}
		})
	}
	l.bwd[n] = 0
	for s := n - 1; s >= 0; s-- {
		best := l.spanLogP(s, s+1) + l.bwd[s+1]
		l.words(s, s+2, func(e int, w float64) {
			if v := w + l.bwd[e]; v > best {
				best = v
			}
		})
		l.bwd[s] = best
	}
	// Walk the best path back to find the word covering each position.
	l.coverStart = growInt(l.coverStart, n)
	l.coverEnd = growInt(l.coverEnd, n)
	for e := n; e > 0; {
		s := l.back[e]
		for i := s; i < e; i++ {
			l.coverStart[i], l.coverEnd[i] = s, e
		}
		e = s
	}
}

// fwdAt is the forward score of the prefix [0, i) with the replacement.
func (l *lattice) fwdAt(i int) float64 {
	if i <= l.subPos {
		return l.fwd[i]
	}
	return l.local[i-l.subPos-1]
}

// best returns the best total score of the run with chars[p:p+len(sub)]
// replaced by sub (1 ≤ len(sub) < maxWordLen), and the word [s, e) covering
// the last replaced character in that segmentation with its log
// probability. The lattice is left as reset made it.
func (l *lattice) best(p int, sub []rune) (score float64, s, e int, lp float64) {
	l.subPos, l.sub = p, sub
	defer func() { l.sub, l.subPos = nil, -1 }()
	n := len(l.chars)
	q := p + len(sub) - 1 // the last replaced position
	// Forward scores of the prefixes that end inside the replacement.
	for i := p + 1; i <= q; i++ {
		best := l.fwdAt(i-1) + l.spanLogP(i-1, i)
		for s := i - 2; s >= 0 && i-s <= maxWordLen && l.linked(s+1); s-- {
			if v := l.fwdAt(s) + l.spanLogP(s, i); v > best {
				best = v
			}
		}
		l.local[i-p-1] = best
	}
	// The best segmentation has some word [s, e) covering q.
	lo := q
	for lo > 0 && q-lo+1 < maxWordLen && l.linked(lo) {
		lo--
	}
	hi := q + 1
	for hi < n && hi-q < maxWordLen && l.linked(hi) {
		hi++
	}
	lp = l.spanLogP(q, q+1)
	score, s, e = l.fwdAt(q)+lp+l.bwd[q+1], q, q+1
	for start := q; start >= lo; start-- {
		l.words(start, max(q+1, start+2), func(end int, w float64) {
			if end > hi {
				return
			}
			if v := l.fwdAt(start) + w + l.bwd[end]; v > score {
				score, s, e, lp = v, start, end, w
			}
		})
	}
	return score, s, e, lp
}

// words calls fn(end, logP) for each word [s, end) of two characters or
// more with end ≥ from, replacement included. It extends the span one
// character at a time and stops as soon as no word begins with it.
func (l *lattice) words(s, from int, fn func(end int, logP float64)) {
	n := len(l.chars)
	h := hashSeed.add(l.at(s))
	for end := s + 2; end <= n && end-s <= maxWordLen; end++ {
		if !l.linked(end - 1) {
			return
		}
		h = h.add(l.at(end - 1))
		sum := h.sum()
		if !l.lex.prefixes.mayHave(sum) {
			return
		}
		if end < from {
			continue
		}
		if v, ok := l.lex.words.get(sum); ok {
			fn(end, float64(v))
		}
	}
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func growInt(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func growBool(s []bool, n int) []bool {
	if cap(s) < n {
		return make([]bool, n)
	}
	return s[:n]
}
