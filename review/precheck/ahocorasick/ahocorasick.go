// Package ahocorasick finds many fixed strings in a text in one pass: an
// Aho-Corasick automaton over characters, stored as a compact double array,
// that reports the leftmost-longest non-overlapping matches.
//
// Leftmost-longest means: among all occurrences of all patterns, take the one
// that starts first, and among those that start there the longest; report it,
// continue after its end, and repeat. That is the rule a dictionary lookup
// wants: a longer listed phrase (for example an allowed phrase that contains a
// listed typo) wins over a shorter one at the same place.
//
// The automaton steps one character (rune) at a time. Characters are mapped to
// dense codes, the most frequent first, and the trie is laid out breadth
// first, so the states that a scan visits most (the first one or two
// characters of a word) sit together in memory. Patterns must be valid UTF-8;
// matches then always fall on rune boundaries, and invalid bytes in a text
// match nothing. Offsets are in bytes.
package ahocorasick

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// Slot values of check.
const (
	slotFree = -1 // no state lives here
	slotRoot = -2 // the root, which has no parent
)

// maxCodes is the number of distinct characters the patterns may use.
const maxCodes = math.MaxUint16

// maxPatternLen is the longest pattern in bytes.
const maxPatternLen = math.MaxUint16

// node is one slot of the double array: 16 bytes, everything a scan step
// needs in one cache line.
type node struct {
	base   int32  // the child on character code c lives at base + c
	check  int32  // the parent state, slotFree or slotRoot
	fail   int32  // the longest proper suffix of this state that is also a state
	depth  uint16 // length in bytes of the state's string
	outLen uint16 // length in bytes of the longest pattern that ends here (a suffix of this state), 0 for none
}

// Matcher is an immutable automaton built from a list of patterns. It is safe
// for concurrent use.
type Matcher struct {
	nodes    []node
	outPat   []int32 // per slot: index of the pattern counted in outLen
	bmp      []uint16
	edges    []uint64        // filter: a clear bit means "state s has no child on code c"
	edgeBits uint32          // log2 of the filter's size in bits
	astral   map[rune]uint16 // codes of characters above U+FFFF
	states   int
	patterns int
}

// Match is one occurrence of a pattern: Pattern is its index in the list
// given to New (the first index when a pattern is listed twice); Start and
// End are byte offsets into the text, half-open.
type Match struct {
	Pattern    int
	Start, End int
}

// Errors returned by New.
var (
	ErrEmptyPattern   = errors.New("ahocorasick: empty pattern")
	ErrInvalidPattern = errors.New("ahocorasick: pattern is not valid UTF-8")
	ErrPatternTooLong = errors.New("ahocorasick: pattern longer than 65,535 bytes")
)

// New builds a matcher for patterns. A pattern listed more than once is
// reported with its first index.
func New(patterns []string) (*Matcher, error) {
	if len(patterns) > math.MaxInt32/2 {
		return nil, fmt.Errorf("ahocorasick: %d patterns are too many", len(patterns))
	}
	// Count characters to give the frequent ones small codes.
	freq := map[rune]int{}
	total := 0
	for i, p := range patterns {
		if p == "" {
			return nil, fmt.Errorf("pattern %d: %w", i, ErrEmptyPattern)
		}
		if !utf8.ValidString(p) {
			return nil, fmt.Errorf("pattern %d %q: %w", i, p, ErrInvalidPattern)
		}
		if len(p) > maxPatternLen {
			return nil, fmt.Errorf("pattern %d: %d bytes: %w", i, len(p), ErrPatternTooLong)
		}
		for _, r := range p {
			freq[r]++
			total++
		}
	}
	if total > math.MaxInt32/4 {
		return nil, fmt.Errorf("ahocorasick: patterns too large (%d characters)", total)
	}
	if len(freq) > maxCodes {
		return nil, fmt.Errorf("ahocorasick: patterns use %d distinct characters, at most %d are supported", len(freq), maxCodes)
	}
	alphabet := make([]rune, 0, len(freq))
	for r := range freq {
		alphabet = append(alphabet, r)
	}
	slices.SortFunc(alphabet, func(a, b rune) int {
		if freq[a] != freq[b] {
			return freq[b] - freq[a]
		}
		return int(a - b)
	})
	m := &Matcher{bmp: make([]uint16, 0x10000), patterns: len(patterns)}
	for i, r := range alphabet {
		code := uint16(i + 1)
		if r < 0x10000 {
			m.bmp[r] = code
		} else {
			if m.astral == nil {
				m.astral = map[rune]uint16{}
			}
			m.astral[r] = code
		}
	}
	// Patterns as code sequences in one flat slice.
	codes := make([]uint16, 0, total)
	offs := make([]int32, len(patterns)+1)
	for i, p := range patterns {
		for _, r := range p {
			codes = append(codes, m.code(r))
		}
		offs[i+1] = int32(len(codes))
	}
	seq := func(i int32) []uint16 { return codes[offs[i]:offs[i+1]] }
	// Sort by code sequence, then index, and drop later duplicates.
	order := make([]int32, len(patterns))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if c := slices.Compare(seq(a), seq(b)); c != 0 {
			return c
		}
		return int(a - b)
	})
	uniq := order[:0]
	for i, idx := range order {
		if i > 0 && slices.Equal(seq(idx), seq(uniq[len(uniq)-1])) {
			continue
		}
		uniq = append(uniq, idx)
	}
	width := make([]uint8, len(alphabet)+1)
	for i, r := range alphabet {
		width[i+1] = uint8(utf8.RuneLen(r))
	}
	b := builder{seq: seq, sorted: uniq, codes: len(alphabet), width: width}
	b.build()
	m.nodes, m.outPat, m.states = b.nodes, b.outPat, b.states
	m.buildEdgeFilter()
	return m, nil
}

// code returns the code of r, 0 when no pattern uses it.
func (m *Matcher) code(r rune) uint16 {
	if r < 0x10000 {
		return m.bmp[r]
	}
	return m.astral[r]
}

// Patterns returns the number of patterns the matcher was built from.
func (m *Matcher) Patterns() int { return m.patterns }

// States returns the number of states of the automaton (trie nodes).
func (m *Matcher) States() int { return m.states }

// SizeBytes returns the memory the automaton keeps, in bytes (not counting
// the map of characters above U+FFFF).
func (m *Matcher) SizeBytes() int {
	return cap(m.nodes)*16 + cap(m.outPat)*4 + cap(m.edges)*8 + cap(m.bmp)*2
}

// FindAll returns the leftmost-longest non-overlapping matches in text, in
// order.
func (m *Matcher) FindAll(text string) []Match {
	var out []Match
	m.Scan(text, func(mt Match) bool {
		out = append(out, mt)
		return true
	})
	return out
}

// Scan calls yield for each leftmost-longest non-overlapping match in text,
// in order, until yield returns false.
func (m *Matcher) Scan(text string, yield func(Match) bool) {
	if m.states <= 1 {
		return
	}
	nodes := m.nodes
	bmp := m.bmp[:0x10000]
	edges := m.edges
	shift := 32 - m.edgeBits
	n := len(text)
	pos := 0
	var s int32
	// The best match seen since the last report, as the state where it
	// ended; pending is false while there is none.
	pending := false
	var bestStart, bestEnd int
	var bestState int32
	for {
		for pos < n {
			var c int32
			b0 := text[pos]
			switch {
			case b0 < utf8.RuneSelf:
				c = int32(bmp[b0])
				pos++
			case b0&0xF0 == 0xE0 && pos+2 < n && text[pos+1]&0xC0 == 0x80 && text[pos+2]&0xC0 == 0x80:
				// Three bytes, the usual case for Chinese text.
				r := rune(b0&0x0F)<<12 | rune(text[pos+1]&0x3F)<<6 | rune(text[pos+2]&0x3F)
				if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
					c = int32(bmp[r])
					pos += 3
					break
				}
				pos++ // an overlong form or a surrogate: invalid, matches nothing
			default:
				r, w := utf8.DecodeRuneInString(text[pos:])
				pos += w
				switch {
				case w == 1: // invalid
				case r < 0x10000:
					c = int32(bmp[r])
				default:
					c = int32(m.astral[r])
				}
			}
			if c == 0 {
				// A character no pattern uses: back to the root.
				s = 0
			} else {
				for {
					if s != 0 && edges != nil {
						if h := edgeHash(s, c, shift); edges[h>>6]&(1<<(h&63)) == 0 {
							s = nodes[s].fail
							continue
						}
					}
					t := nodes[s].base + c
					if nodes[t].check == s {
						s = t
						break
					}
					if s == 0 {
						break
					}
					s = nodes[s].fail
				}
			}
			nd := &nodes[s]
			if pending && pos-int(nd.depth) > bestStart {
				// Every later match starts after bestStart: report it.
				break
			}
			if nd.outLen != 0 {
				start := pos - int(nd.outLen)
				if !pending || start <= bestStart {
					pending, bestStart, bestEnd, bestState = true, start, pos, s
				}
			}
		}
		if !pending {
			return
		}
		if !yield(Match{Pattern: int(m.outPat[bestState]), Start: bestStart, End: bestEnd}) {
			return
		}
		pending = false
		pos, s = bestEnd, 0
	}
}

// builder places the trie of the sorted patterns into the double array in
// breadth-first order, computing failure links and outputs as it goes.
type builder struct {
	seq    func(int32) []uint16
	sorted []int32 // pattern indexes, sorted by code sequence, without duplicates
	codes  int     // number of distinct codes; codes are 1..codes
	width  []uint8 // per code: the UTF-8 length of its character

	nodes  []node
	outPat []int32
	used   []uint64 // bitmap of used slots
	start  int      // every slot before start is used
	states int
}

// pendingState is a placed state whose children are still to be placed: the
// patterns in sorted[lo:hi] all start with its string, of length runes.
type pendingState struct {
	state  int32
	lo, hi int32
	runes  int32
}

func (b *builder) build() {
	b.ensure(b.codes + 1)
	b.setUsed(0)
	b.nodes[0] = node{check: slotRoot}
	b.states = 1
	queue := []pendingState{{state: 0, lo: 0, hi: int32(len(b.sorted))}}
	var labels []int32
	var ranges []int32
	for qi := 0; qi < len(queue); qi++ {
		q := queue[qi]
		lo := q.lo
		// A pattern that ends at this state sorts first in its range.
		if lo < q.hi && int32(len(b.seq(b.sorted[lo]))) == q.runes {
			lo++
		}
		labels, ranges = labels[:0], ranges[:0]
		for i := lo; i < q.hi; i++ {
			c := int32(b.seq(b.sorted[i])[q.runes])
			if len(labels) == 0 || labels[len(labels)-1] != c {
				labels = append(labels, c)
				ranges = append(ranges, i)
			}
		}
		if len(labels) == 0 {
			continue
		}
		ranges = append(ranges, q.hi)
		base := b.findBase(labels)
		b.nodes[q.state].base = base
		for k, c := range labels {
			t := base + c
			b.setUsed(int(t))
			b.nodes[t].check = q.state
			b.states++
			clo, chi := ranges[k], ranges[k+1]
			first := b.sorted[clo]
			b.nodes[t].depth = b.nodes[q.state].depth + uint16(b.width[c])
			// Failure link: the longest proper suffix that is a state.
			var fail int32
			if q.state != 0 {
				f := b.nodes[q.state].fail
				for {
					u := b.nodes[f].base + c
					if int(u) < len(b.nodes) && b.nodes[u].check == f {
						fail = u
						break
					}
					if f == 0 {
						break
					}
					f = b.nodes[f].fail
				}
			}
			b.nodes[t].fail = fail
			if int32(len(b.seq(first))) == q.runes+1 {
				b.nodes[t].outLen = b.nodes[t].depth
				b.outPat[t] = first
			} else {
				b.nodes[t].outLen = b.nodes[fail].outLen
				b.outPat[t] = b.outPat[fail]
			}
			queue = append(queue, pendingState{state: t, lo: clo, hi: chi, runes: q.runes + 1})
		}
		// Drop the part of the queue already done now and then.
		if qi >= 1<<16 && qi >= len(queue)/2 {
			queue = append(queue[:0], queue[qi+1:]...)
			qi = -1
		}
	}
	// Every lookup base + c with c ≤ codes must stay inside the array.
	maxBase := int32(0)
	for _, nd := range b.nodes {
		maxBase = max(maxBase, nd.base)
	}
	b.ensure(int(maxBase) + b.codes + 1)
	b.nodes = slices.Clip(b.nodes)
	b.outPat = slices.Clip(b.outPat)
}

// ensure grows the arrays to at least n slots.
func (b *builder) ensure(n int) {
	for len(b.nodes) < n {
		b.nodes = append(b.nodes, node{check: slotFree})
		b.outPat = append(b.outPat, 0)
	}
	for len(b.used)*64 < len(b.nodes) {
		b.used = append(b.used, 0)
	}
}

func (b *builder) setUsed(slot int) {
	b.ensure(slot + 1)
	b.used[slot/64] |= 1 << (slot % 64)
}

func (b *builder) isUsed(slot int) bool {
	w := slot / 64
	return w < len(b.used) && b.used[w]&(1<<(slot%64)) != 0
}

// findBase returns the smallest base found such that base + c is a free slot
// for every label c (labels ascending), growing the array as needed.
func (b *builder) findBase(labels []int32) int32 {
	for b.start/64 < len(b.used) && b.used[b.start/64] == math.MaxUint64 {
		b.start += 64 - b.start%64
	}
	first := int(labels[0])
	f := max(b.start, first)
	for {
		// Next free slot at or after f.
		for {
			w := f / 64
			if w >= len(b.used) {
				break
			}
			free := ^b.used[w] >> (f % 64)
			if free != 0 {
				f += bits.TrailingZeros64(free)
				break
			}
			f += 64 - f%64
		}
		base := f - first
		ok := true
		for _, c := range labels[1:] {
			if b.isUsed(base + int(c)) {
				ok = false
				break
			}
		}
		if ok {
			b.ensure(base + int(labels[len(labels)-1]) + 1)
			return int32(base)
		}
		f++
	}
}

// edgeHash maps a transition to a bit of the edge filter.
func edgeHash(s, c int32, shift uint32) uint32 {
	return (uint32(s)*0x9E3779B1 ^ uint32(c)*0x85EBCA77) * 0xC2B2AE3D >> shift
}

// buildEdgeFilter sets the filter bit of every transition out of a state
// other than the root, so that a scan can skip most lookups that would fail
// without touching the (larger) double array.
func (m *Matcher) buildEdgeFilter() {
	if !useEdgeFilter {
		return
	}
	bits := uint32(12)
	for bits < edgeFilterMaxBits && 1<<bits < 12*m.states {
		bits++
	}
	m.edgeBits = bits
	m.edges = make([]uint64, 1<<bits/64)
	shift := 32 - bits
	for t, nd := range m.nodes {
		if nd.check <= 0 { // free, the root, or a child of the root
			continue
		}
		s := nd.check
		c := int32(t) - m.nodes[s].base
		h := edgeHash(s, c, shift)
		m.edges[h>>6] |= 1 << (h & 63)
	}
}

var useEdgeFilter = true
var edgeFilterMaxBits = uint32(22)
