// Package ahocorasick finds many fixed strings in a text: a trie over
// characters, stored as a compact double array, with the failure links of an
// Aho-Corasick automaton, that reports the leftmost-longest non-overlapping
// matches. For patterns of up to 256 characters a scan walks the trie from
// each position in turn, which is fastest on words and phrases; the
// automaton finishes the scan when those walks grow costly, and scans alone
// for longer patterns. Either way a scan takes time in proportion to the
// text on lists of words and phrases; its worst case, on text made to defeat
// the patterns (such as "aaaa…" against "a" and "aaa…ab"), is the text's
// length times the longest pattern's.
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
	"sync"
	"sync/atomic"
	"unicode/utf8"
)

// Slot values of check.
const (
	slotFree = -1 // no state lives here
	slotRoot = -2 // the root, which has no parent
)

// maxCodes is the number of distinct characters the patterns may use.
const maxCodes = math.MaxUint16 - 1

// freeLabel is the label of a free slot: no code.
const freeLabel = math.MaxUint16

// maxPatternLen is the longest pattern in bytes.
const maxPatternLen = math.MaxUint16

// farFail marks a failure link that is not the root or a state of depth one;
// the link is then in Matcher.far.
const farFail = math.MaxUint16

// Bits of node.base: outBit marks a state where a pattern ends (a suffix of
// it); leafBit a state without children, whose own string is a pattern;
// ownBit a state whose own string is a pattern (what the walk looks for);
// baseMask keeps the offset of the children.
const (
	outBit   = 1 << 31
	leafBit  = 1 << 30
	ownBit   = 1 << 29
	baseMask = ownBit - 1
)

// node is one slot of the double array: 8 bytes, so that the states a scan
// visits most stay in the cache. Every state has its own base, so the label
// identifies the parent: slot base(s) + c belongs to s's child on c exactly
// when its label is c.
type node struct {
	base  uint32 // outBit, leafBit, ownBit, and the offset of the children: the child on code c is at base + c
	label uint16 // the code of the edge into this state; freeLabel for the root and free slots
	fail  uint16 // failure link: 0 the root, farFail see Matcher.far, else the code c of the depth-one state at slot c
}

// info is what a scan needs of a state only around matches.
type info struct {
	depth  uint16 // length in bytes of the state's string
	outLen uint16 // length in bytes of the longest pattern that ends here (a suffix of this state), 0 for none
}

// buildNode is a slot of the double array while it is built.
type buildNode struct {
	base   int32 // the child on code c lives at base + c
	check  int32 // the parent state, slotFree or slotRoot
	fail   int32 // the longest proper suffix of this state that is also a state
	depth  uint16
	outLen uint16
}

// Matcher is an immutable automaton built from a list of patterns. It is safe
// for concurrent use.
type Matcher struct {
	nodes    []node
	infos    []info
	far      []int32 // per slot: the failure link when node.fail is farFail
	outPat   []int32 // per slot: index of the pattern counted in outLen
	bmp      []uint16
	bmp3     []uint16        // bmp without the codes below U+0800: what a three-byte form may give
	astral   map[rune]uint16 // codes of characters above U+FFFF
	states   int
	patterns int
	maxRunes int
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
	maxRunes := 0
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
		n := 0
		for _, r := range p {
			freq[r]++
			total++
			n++
		}
		maxRunes = max(maxRunes, n)
	}
	if total > math.MaxInt32/8 { // slots must stay below baseMask (see compact)
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
	m := &Matcher{bmp: make([]uint16, 0x10000), patterns: len(patterns), maxRunes: maxRunes}
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
	m.bmp3 = slices.Clone(m.bmp)
	clear(m.bmp3[:0x800])
	b := builder{seq: seq, sorted: uniq, codes: len(alphabet), width: width}
	b.build()
	m.compact(&b)
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
	return cap(m.nodes)*8 + cap(m.infos)*4 + cap(m.far)*4 + cap(m.outPat)*4 + cap(m.bmp)*2 + cap(m.bmp3)*2
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

// minParallel is the smallest part a parallel scan cuts a text into.
const minParallel = 64 << 10

// partsPerWorker is how many parts a parallel scan makes per goroutine, so
// that a goroutine whose core is slower (or busy with other work) takes
// fewer of them and does not hold up the rest.
const partsPerWorker = 4

// FindAllParallel returns the same matches as FindAll, using up to workers
// goroutines on a large text (see ScanParallel).
func (m *Matcher) FindAllParallel(text string, workers int) []Match {
	cuts := m.cuts(text, workers)
	if len(cuts) <= 2 {
		return m.FindAll(text)
	}
	parts := make([][]Match, len(cuts)-1)
	m.scanParts(text, cuts, workers, func(part int, mt Match) {
		parts[part] = append(parts[part], mt) // one goroutine at a time per part
	})
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	out := make([]Match, 0, n)
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ScanParallel scans text with up to workers goroutines: the text is cut
// just after characters that no pattern contains, where no match can cross,
// into up to four parts per goroutine (numbered 0, 1, … in text order),
// which the goroutines take in turn. The cuts are planned at equal
// distances of at least 64 KiB and each moves forward to the next such
// character, so parts vary in size and the last may be short. yield gets
// each part's matches in order, from the goroutine scanning that part; the
// matches of all parts in part order are exactly those of Scan. A text
// shorter than 128 KiB, or without such characters, is one part.
func (m *Matcher) ScanParallel(text string, workers int, yield func(part int, mt Match)) {
	m.scanParts(text, m.cuts(text, workers), workers, yield)
}

// cuts returns where a parallel scan of text with workers goroutines cuts
// it: 0, the offsets between parts, and len(text).
func (m *Matcher) cuts(text string, workers int) []int {
	cuts := []int{0}
	if workers > 1 {
		n := min(workers*partsPerWorker, len(text)/minParallel)
		for k := 1; k < n; k++ {
			at := m.cutAfter(text, max(cuts[len(cuts)-1], len(text)*k/n))
			if at < 0 || at >= len(text) {
				break
			}
			if at > cuts[len(cuts)-1] {
				cuts = append(cuts, at)
			}
		}
	}
	return append(cuts, len(text))
}

// scanParts scans the parts of text between cuts with up to workers
// goroutines, each taking the next part not yet taken until none is left.
func (m *Matcher) scanParts(text string, cuts []int, workers int, yield func(part int, mt Match)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, len(cuts)-1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cuts)-1 {
					return
				}
				off := cuts[i]
				m.Scan(text[off:cuts[i+1]], func(mt Match) bool {
					mt.Start += off
					mt.End += off
					yield(i, mt)
					return true
				})
			}
		})
	}
	wg.Wait()
}

// cutAfter returns the offset just after the first character at or after
// byte from that no pattern contains (or an invalid byte), looking at most
// 64 KiB ahead; -1 when there is none.
func (m *Matcher) cutAfter(text string, from int) int {
	i := from
	for i < len(text) && !utf8.RuneStart(text[i]) {
		i++
	}
	for limit := min(len(text), i+minParallel); i < limit; {
		r, w := utf8.DecodeRuneInString(text[i:])
		i += w
		if w == 1 && r == utf8.RuneError || m.code(r) == 0 {
			return i
		}
	}
	return -1
}

// Scan calls yield for each leftmost-longest non-overlapping match in text,
// in order, until yield returns false.
//
// When no pattern is longer than walkMaxRunes characters, Scan walks the
// trie from each position in turn (see walk), which is the fastest way for
// lists of words and phrases; the automaton takes over (see scanAutomaton)
// when the walks take more than walkSlack steps per character.
func (m *Matcher) Scan(text string, yield func(Match) bool) {
	if m.states <= 1 {
		return
	}
	if m.maxRunes <= walkMaxRunes {
		m.walk(text, walkChunk, walkSlack, yield)
		return
	}
	m.scanAutomaton(text, 0, yield)
}

// scanAutomaton is Scan by the Aho-Corasick automaton, from byte offset from
// of text (the start of a character) with nothing matched before it.
//
// Its inner loop steps the automaton one character at a time. Two things
// need more than a step: a state where a pattern ends (it may become the
// pending match, the best seen since the last report), and a state whose
// string starts after the pending match's start (limit; math.MaxInt when
// there is none), which makes that match final. Stepping to a child keeps
// where the state's string starts, so only a failure link or an unknown
// character can take it past limit. The loop leaves only when a final match
// needs the text after it scanned again, and at the end of the text; its
// common path, a child without a pattern ending there, keeps to a few
// variables so that they stay in registers.
//
// The scan again after a final match makes the worst case the text's length
// times the longest pattern's ("aaaa…" against "a" and "aaa…ab": each "a"
// is final only once the path towards "…ab" has failed, many characters
// later, and the scan goes on right after that "a"); without such rescans
// it is linear.
func (m *Matcher) scanAutomaton(text string, from int, yield func(Match) bool) {
	nodes := m.nodes
	bmp := m.bmp[:0x10000]
	bmp3 := m.bmp3[:0x10000]
	pos := from
	var s int32
	// The best match seen since the last report, as the state where it
	// ended; pending is false while there is none.
	pending := false
	var bestStart, bestEnd int
	var bestState int32
	limit := math.MaxInt
	for {
		again := false // the pending match is final, and the text after it must be scanned again
		for pos < len(text) {
			charStart := pos
			var c int32
			if pos+4 <= len(text) {
				// Four bytes at once: a three-byte character (the
				// usual case for Chinese text) or ASCII. bmp3 has no
				// codes below U+0800, so an overlong form matches
				// nothing; surrogates have no code either.
				b := text[pos : pos+4]
				v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
				if v&0xC0C0F0 == 0x8080E0 {
					c = int32(bmp3[v&0x0F<<12|v&0x3F00>>2|v&0x3F0000>>16])
					pos += 3
				} else if v&0x80 == 0 {
					c = int32(bmp[v&0x7F])
					pos++
				} else {
					var w int
					c, w = m.decodeSlow(text[pos:])
					pos += w
				}
			} else {
				var w int
				c, w = m.decodeSlow(text[pos:])
				pos += w
			}
			if c == 0 {
				// A character no pattern uses: back to the root.
				s = 0
			} else {
				nd := nodes[s]
				if t := int32(nd.base&baseMask) + c; int32(nodes[t].label) == c {
					// A child: the state's string starts where it did,
					// so only a pattern ending here matters.
					s = t
					if nodes[s].base&outBit == 0 {
						continue
					}
					goto output
				}
				switch {
				case s == 0:
				case nd.fail == farFail:
					s = step(nodes, m.far, m.far[s], c)
				default:
					s = step(nodes, m.far, int32(nd.fail), c)
				}
			}
			// The state's string may start later now: past the pending
			// match's start, no later match can start at or before it.
			if limit < pos {
				if start := pos - int(m.infos[s].depth); start > limit {
					if charStart != bestEnd || start < bestEnd {
						again = true
						break
					}
					// The match ended just before this character and the
					// state starts after it: the state is the one a scan
					// from the match's end would reach, and no match it
					// would see is lost. Report it and go on.
					if !yield(Match{Pattern: int(m.outPat[bestState]), Start: bestStart, End: bestEnd}) {
						return
					}
					pending, limit = false, math.MaxInt
				}
			}
			if nodes[s].base&outBit == 0 {
				continue
			}
		output:
			// A pattern ends here: the best match unless the pending
			// one starts earlier.
			if start := pos - int(m.infos[s].outLen); !pending || start <= bestStart {
				if nodes[s].base&leafBit != 0 {
					// A pattern that is the state's whole string and that
					// nothing extends: no match can start before it (the
					// state is the longest suffix that any pattern
					// begins with) or be longer at its start. Report it
					// now and go on from its end at the root.
					if !yield(Match{Pattern: int(m.outPat[s]), Start: start, End: pos}) {
						return
					}
					pending, limit, s = false, math.MaxInt, 0
					continue
				}
				pending, bestStart, bestEnd, bestState, limit = true, start, pos, s, start
			}
		}
		if !again && !pending {
			return // the end of the text
		}
		// Report the pending match and scan again from its end: it is
		// final, or the text has ended.
		if !yield(Match{Pattern: int(m.outPat[bestState]), Start: bestStart, End: bestEnd}) {
			return
		}
		pending, limit = false, math.MaxInt
		pos, s = bestEnd, 0
	}
}

// step returns the state after s on code c (not 0): s's child on c, or
// that of the longest suffix of s that has one, or the root. It is small
// enough to be inlined into scanAutomaton.
func step(nodes []node, far []int32, s, c int32) int32 {
	for {
		nd := nodes[s]
		t := int32(nd.base&baseMask) + c
		if int32(nodes[t].label) == c {
			return t
		}
		if s == 0 {
			return 0
		}
		if nd.fail == farFail {
			s = far[s]
		} else {
			s = int32(nd.fail) // the root or the depth-one state at slot fail
		}
	}
}

// decodeSlow returns the code and width of the character at the start of
// text, for what scanAutomaton and decode do not decode themselves: 2- and
// 4-byte characters, the last three bytes of the text, and invalid bytes
// (code 0, width 1).
func (m *Matcher) decodeSlow(text string) (int32, int) {
	r, w := utf8.DecodeRuneInString(text)
	switch {
	case r == utf8.RuneError && w <= 1:
		return 0, 1 // an invalid byte
	case r < 0x10000:
		return int32(m.bmp[r]), w
	default:
		return int32(m.astral[r]), w
	}
}

// builder places the trie of the sorted patterns into the double array in
// breadth-first order, computing failure links and outputs as it goes.
type builder struct {
	seq    func(int32) []uint16
	sorted []int32 // pattern indexes, sorted by code sequence, without duplicates
	codes  int     // number of distinct codes; codes are 1..codes
	width  []uint8 // per code: the UTF-8 length of its character

	nodes    []buildNode
	outPat   []int32
	used     []uint64 // bitmap of used slots
	usedBase []uint64 // bitmap of bases given to a state
	start    int      // every slot before start is used
	hints    [4]int   // per size class of child sets: where the last hard search ended
	states   int
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
	b.nodes[0] = buildNode{check: slotRoot}
	b.states = 1
	queue := []pendingState{{state: 0, lo: 0, hi: int32(len(b.sorted))}}
	var labels []int32
	var ranges []int32
	for qi := 0; qi < len(queue); qi++ {
		q := queue[qi]
		if qi > 0 && q.runes != queue[qi-1].runes {
			b.hints = [len(b.hints)]int{} // a new level: child sets differ
		}
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
		if q.state == 0 && base != 0 {
			panic("ahocorasick: the root's children must sit at their codes")
		}
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
		b.nodes = append(b.nodes, buildNode{check: slotFree})
		b.outPat = append(b.outPat, 0)
	}
	for len(b.used)*64 < len(b.nodes) {
		b.used = append(b.used, 0)
		b.usedBase = append(b.usedBase, 0)
	}
}

func (b *builder) setUsed(slot int) {
	b.ensure(slot + 1)
	b.used[slot/64] |= 1 << (slot % 64)
}

func (b *builder) baseUsed(base int) bool {
	w := base / 64
	return w < len(b.usedBase) && b.usedBase[w]&(1<<(base%64)) != 0
}

func (b *builder) setBaseUsed(base int) {
	b.ensure(base + 1)
	b.usedBase[base/64] |= 1 << (base % 64)
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
	class := min(bits.Len(uint(len(labels)-1)), len(b.hints)-1) // 1, 2, 3–4, 5+ children
	f := max(b.start, first, b.hints[class])
	tries := 0
	for ; ; tries++ {
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
		ok := !b.baseUsed(base)
		for _, c := range labels[1:] {
			if !ok {
				break
			}
			if b.isUsed(base + int(c)) {
				ok = false
				break
			}
		}
		if ok {
			b.ensure(base + int(labels[len(labels)-1]) + 1)
			b.setBaseUsed(base)
			if tries > 2048 {
				// The slots before f are too full for child sets of
				// this size: later ones start looking here.
				b.hints[class] = f
			}
			return int32(base)
		}
		f++
	}
}

// compact turns the built double array into the matcher's arrays: leaves
// get bases of their own (so that no lookup from a leaf can hit another
// state's child), and failure links to the root or a depth-one state are
// stored as codes.
func (m *Matcher) compact(b *builder) {
	nb := b.nodes
	// Give every leaf an unused base, keeping base + code inside the array.
	next := 1
	leaf := make([]bool, len(nb))
	for t := range nb {
		if nb[t].check == slotFree || t == 0 {
			continue
		}
		if nb[t].base != 0 {
			continue
		}
		leaf[t] = true
		for b.baseUsed(next) {
			next++
		}
		b.setBaseUsed(next)
		nb = b.nodes
		nb[t].base = int32(next)
	}
	maxBase := int32(0)
	for _, nd := range nb {
		maxBase = max(maxBase, nd.base)
	}
	if int(maxBase)+b.codes >= baseMask {
		panic("ahocorasick: the automaton is too large") // New bounds the patterns well below this
	}
	b.ensure(int(maxBase) + b.codes + 1)
	nb = b.nodes
	m.nodes = make([]node, len(nb))
	m.infos = make([]info, len(nb))
	m.far = make([]int32, len(nb))
	m.outPat = make([]int32, len(nb))
	copy(m.outPat, b.outPat)
	for t, nd := range nb {
		if nd.check == slotFree {
			m.nodes[t].label = freeLabel
			continue
		}
		n := node{base: uint32(nd.base)}
		if nd.outLen != 0 {
			n.base |= outBit
		}
		if t < len(leaf) && leaf[t] {
			n.base |= leafBit
		}
		if nd.outLen != 0 && nd.outLen == nd.depth {
			n.base |= ownBit
		}
		if t == 0 {
			n.label = freeLabel // code 0 must not find the root as its child
		} else {
			n.label = uint16(int32(t) - nb[nd.check].base)
			switch f := nd.fail; {
			case f == 0:
			case nb[f].check == 0:
				n.fail = uint16(f) // a depth-one state sits at its code
			default:
				n.fail = farFail
				m.far[t] = f
			}
		}
		m.nodes[t] = n
		m.infos[t] = info{depth: nd.depth, outLen: nd.outLen}
	}
	m.states = b.states
	b.nodes, b.outPat = nil, nil
}

// Parameters of walk.
const (
	walkChunk    = 1024 // characters decoded at a time
	walkMaxRunes = 256  // the longest pattern, in characters, that walk takes
	walkSlack    = 8    // trie steps per character before the automaton takes over
)

// walkBuffer holds the characters a walk has decoded: codes[k] is the code
// of a character and offs[k] its byte offset, offs[n] the offset after the
// last of n.
type walkBuffer struct {
	codes [walkChunk]uint16
	offs  [walkChunk + 1]int
}

// walkBuffers keeps buffers between scans, so that a scan of a short text
// does not clear 10 KiB of stack first.
var walkBuffers = sync.Pool{New: func() any { return new(walkBuffer) }}

// walk is Scan for patterns of at most walkMaxRunes characters: from each
// position in turn it follows the trie as far as the text goes, remembering
// the last state whose own string is a pattern; that is the longest match
// starting there. It reports it and goes on from its end, or goes on from
// the next character when there is none. This is the definition of
// leftmost-longest itself, and on words and phrases it is faster than the
// automaton: few steps per position, no failure links, no pending match.
//
// The text is decoded chunk characters at a time (at most walkChunk, more
// than the longest pattern), so that a character is decoded once however
// many walks read it. A walk is at most as long as the longest pattern; when
// the walks so far have taken more than slack steps per character decoded
// before the current position plus one chunk (text such as "aaaa…" against
// "aaa…ab"), the automaton scans the rest. It reports whether it did.
func (m *Matcher) walk(text string, chunk, slack int, yield func(Match) bool) (handedOver bool) {
	nodes := m.nodes
	buf := walkBuffers.Get().(*walkBuffer)
	defer walkBuffers.Put(buf)
	codes, offs := &buf.codes, &buf.offs
	offs[0] = 0
	n, i := 0, 0 // characters in codes; the position of the next walk
	pos := 0     // byte offset of the first character not yet decoded
	steps, budget := 0, chunk
	lookahead := m.maxRunes
	for {
		if n-i < lookahead && pos < len(text) {
			// Keep the characters from i on and decode more after them.
			budget += slack * i
			if steps > budget {
				m.scanAutomaton(text, offs[i], yield)
				return true
			}
			n = copy(codes[:], codes[i:n])
			copy(offs[:], offs[i:i+n+1])
			i = 0
			n, pos = m.decode(codes, offs, n, chunk, text, pos)
		}
		if i >= n {
			return false
		}
		// The root's child on c sits at slot c. Code 0 (no pattern uses
		// the character) finds the root, whose label is freeLabel.
		s := int32(codes[i])
		if int32(nodes[s].label) != s {
			i++
			continue
		}
		best, bestState := -1, int32(0)
		base := nodes[s].base
		if base&ownBit != 0 {
			best, bestState = i+1, s
		}
		j := i + 1
		for ; base&leafBit == 0 && j < n; j++ {
			c := int32(codes[j])
			t := int32(base&baseMask) + c
			if int32(nodes[t].label) != c {
				break // code 0 finds a free slot or another state's child
			}
			s = t
			base = nodes[s].base
			if base&ownBit != 0 {
				best, bestState = j+1, s
			}
		}
		steps += j - i
		if best < 0 {
			i++
			continue
		}
		if !yield(Match{Pattern: int(m.outPat[bestState]), Start: offs[i], End: offs[best]}) {
			return false
		}
		i = best
	}
}

// decode decodes characters of text from byte offset pos into codes[n:],
// with the offset after each in offs, until there are limit characters
// (at most walkChunk) or the text ends. It returns the new n and pos.
// scanAutomaton decodes the same way in its own loop: one small helper
// inlined into both cost the walk 26% more instructions under callgrind
// (31.2 M → 39.4 M per scan of the jieba MiB), so the two copies stay.
func (m *Matcher) decode(codes *[walkChunk]uint16, offs *[walkChunk + 1]int, n, limit int, text string, pos int) (int, int) {
	bmp := (*[0x10000]uint16)(m.bmp)
	bmp3 := (*[0x10000]uint16)(m.bmp3)
	limit = min(limit, walkChunk)
	for ; n < limit && pos+4 <= len(text); n++ {
		// Four bytes at once: a three-byte character (the usual case
		// for Chinese text) or ASCII. bmp3 has no codes below U+0800, so
		// an overlong form matches nothing; surrogates have no code
		// either.
		b := text[pos : pos+4]
		v := uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24
		if v&0xC0C0F0 == 0x8080E0 {
			codes[n] = bmp3[uint16(v&0x0F<<12|v&0x3F00>>2|v&0x3F0000>>16)]
			pos += 3
		} else if v&0x80 == 0 {
			codes[n] = bmp[v&0x7F]
			pos++
		} else {
			c, w := m.decodeSlow(text[pos:])
			codes[n], pos = uint16(c), pos+w
		}
		offs[n+1] = pos
	}
	for ; n < limit && pos < len(text); n++ {
		c, w := m.decodeSlow(text[pos:])
		codes[n], pos = uint16(c), pos+w
		offs[n+1] = pos
	}
	return n, pos
}
