package textdiff

import (
	"unicode/utf8"
)

// Token ids passed to go-diff: a token that is one valid rune below
// tokenIDBase is that rune; any other token (a word, a character with marks,
// an invalid byte, a rune in the last two private-use planes) gets an id from
// a dictionary, starting at tokenIDBase.
const (
	tokenIDBase rune = 0xF0000
	tokenIDMax  rune = utf8.MaxRune
)

// block is an equal run of eq tokens followed by a change that deletes del
// tokens and inserts ins tokens. A token diff is a list of blocks.
type block struct{ eq, del, ins int }

// tokenSide is the tokens of one side of a pair of units.
type tokenSide struct {
	text   string
	lo, hi int   // the unit, for context
	starts []int // token starts, then the end: len = tokens+1
	ids    []rune
}

func (s *tokenSide) runes(from, to int) int {
	if from >= to {
		return 0
	}
	return utf8.RuneCountInString(s.text[s.starts[from]:s.starts[to]])
}

// trimMargin is how far the common prefix and suffix of two paired units are
// backed off before the middle is cut into tokens, so that edits can still
// slide onto punctuation just outside the middle.
const trimMargin = 24

// diffTokens compares two paired units character by character (word by word
// for Latin letters and digits) and emits the result.
func (d *differ) diffTokens(a, b span) {
	// Leave out the common prefix and suffix, cut at token boundaries.
	pre := 0
	for limit := min(a.end-a.start, b.end-b.start); pre < limit && d.old[a.start+pre] == d.new[b.start+pre]; pre++ {
	}
	if pre < a.end-a.start || pre < b.end-b.start {
		pre = max(0, pre-trimMargin)
	}
	for pre > 0 && !(safeBoundary(d.old, a.start, a.start+pre, a.end) && safeBoundary(d.new, b.start, b.start+pre, b.end)) {
		pre--
	}
	suf := 0
	for limit := min(a.end-a.start, b.end-b.start) - pre; suf < limit && d.old[a.end-1-suf] == d.new[b.end-1-suf]; suf++ {
	}
	suf = max(0, suf-trimMargin)
	for suf > 0 && !(safeBoundary(d.old, a.start, a.end-suf, a.end) && safeBoundary(d.new, b.start, b.end-suf, b.end)) {
		suf--
	}
	if need := (a.end-a.start+b.end-b.start)/2 + 16; cap(d.bufIDsA) < need {
		d.bufStartsA, d.bufStartsB = make([]int, 0, need), make([]int, 0, need)
		d.bufIDsA, d.bufIDsB = make([]rune, 0, need), make([]rune, 0, need)
	}
	A := tokenSide{text: d.old, lo: a.start, hi: a.end}
	B := tokenSide{text: d.new, lo: b.start, hi: b.end}
	var ok1, ok2 bool
	A.starts, A.ids, ok1 = d.tokens(d.old, span{a.start + pre, a.end - suf}, d.bufStartsA[:0], d.bufIDsA[:0])
	B.starts, B.ids, ok2 = d.tokens(d.new, span{b.start + pre, b.end - suf}, d.bufStartsB[:0], d.bufIDsB[:0])
	d.bufStartsA, d.bufIDsA, d.bufStartsB, d.bufIDsB = A.starts, A.ids, B.starts, B.ids
	if !ok1 || !ok2 {
		d.degraded = true
		d.replace(a, b)
		return
	}
	diffs, ok := d.godiff(A.ids, B.ids)
	if !ok {
		d.replace(a, b)
		return
	}
	blocks := d.bufBlocks[:0]
	blocks = append(blocks, block{})
	for _, df := range diffs {
		n := utf8.RuneCountInString(df.Text)
		last := &blocks[len(blocks)-1]
		switch goOp(df.Type) {
		case OpEqual:
			if last.del > 0 || last.ins > 0 {
				blocks = append(blocks, block{eq: n})
			} else {
				last.eq += n
			}
		case OpDelete:
			last.del += n
		case OpInsert:
			last.ins += n
		}
	}
	blocks = foldIslands(blocks, &A, &B)
	blocks = shiftToBoundaries(blocks, &A, &B)
	d.bufBlocks = blocks
	if isSoup(blocks, &A, pre+suf, max(a.end-a.start, b.end-b.start)) {
		d.replace(a, b)
		return
	}
	d.emitEqual(a.start, a.start+pre, b.start, b.start+pre)
	i, j := 0, 0
	for _, bl := range blocks {
		if bl.eq > 0 {
			d.emitEqual(A.starts[i], A.starts[i+bl.eq], B.starts[j], B.starts[j+bl.eq])
			i, j = i+bl.eq, j+bl.eq
		}
		if bl.del > 0 {
			d.emit(piece{op: OpDelete, o0: A.starts[i], o1: A.starts[i+bl.del]})
			i += bl.del
		}
		if bl.ins > 0 {
			d.emit(piece{op: OpInsert, n0: B.starts[j], n1: B.starts[j+bl.ins]})
			j += bl.ins
		}
	}
	d.emitEqual(a.end-suf, a.end, b.end-suf, b.end)
}

// foldIslands merges a short equal run between two changes into them: a run
// of one character always (a lone 的 left standing between two edits reads
// as noise), a run of two characters between two changes of four or more.
func foldIslands(blocks []block, A, B *tokenSide) []block {
	out := blocks[:1]
	i, j := blocks[0].eq, blocks[0].eq // token positions at the start of the current change
	i += blocks[0].del
	j += blocks[0].ins
	for _, bl := range blocks[1:] {
		prev := &out[len(out)-1]
		changed := bl.del > 0 || bl.ins > 0
		if changed && (prev.del > 0 || prev.ins > 0) {
			n := 3
			if bl.eq <= 2 {
				n = A.runes(i, i+bl.eq)
			}
			if n <= 1 || n == 2 &&
				min(max(A.runes(i-prev.del, i), B.runes(j-prev.ins, j)),
					max(A.runes(i+bl.eq, i+bl.eq+bl.del), B.runes(j+bl.eq, j+bl.eq+bl.ins))) >= 4 {
				prev.del += bl.eq + bl.del
				prev.ins += bl.eq + bl.ins
				i += bl.eq + bl.del
				j += bl.eq + bl.ins
				continue
			}
		}
		out = append(out, bl)
		i += bl.eq + bl.del
		j += bl.eq + bl.ins
	}
	return out
}

// shiftToBoundaries slides each pure insertion or deletion along the equal
// text around it, where that gives the same texts, to the place whose edges
// fall best on Chinese punctuation, spaces and line ends.
func shiftToBoundaries(blocks []block, A, B *tokenSide) []block {
	i, j := 0, 0
	for k := 0; k < len(blocks); k++ {
		bl := &blocks[k]
		i, j = i+bl.eq, j+bl.eq
		if (bl.del > 0) == (bl.ins > 0) {
			i, j = i+bl.del, j+bl.ins
			continue
		}
		side, at, n := B, j, bl.ins
		if bl.del > 0 {
			side, at, n = A, i, bl.del
		}
		after := 0
		if k+1 < len(blocks) {
			after = blocks[k+1].eq
		}
		best, bestScore := 0, boundaryScore(side, at)+boundaryScore(side, at+n)
		for s := 1; s <= bl.eq && side.ids[at-s] == side.ids[at+n-s]; s++ {
			if sc := boundaryScore(side, at-s) + boundaryScore(side, at+n-s); sc > bestScore {
				best, bestScore = -s, sc
			}
		}
		for s := 1; s <= after && side.ids[at+s-1] == side.ids[at+n+s-1]; s++ {
			if sc := boundaryScore(side, at+s) + boundaryScore(side, at+n+s); sc > bestScore {
				best, bestScore = s, sc
			}
		}
		if best != 0 {
			if k+1 == len(blocks) {
				// The change ends the unit and moves left: the text it
				// uncovers becomes a new equal run after it.
				blocks = append(blocks, block{})
				bl = &blocks[k]
			}
			bl.eq += best
			blocks[k+1].eq -= best
			i, j = i+best, j+best
		}
		i, j = i+bl.del, j+bl.ins
	}
	// A shift may have emptied an equal run: merge the changes around it.
	out := blocks[:1]
	for _, bl := range blocks[1:] {
		if bl.eq == 0 {
			out[len(out)-1].del += bl.del
			out[len(out)-1].ins += bl.ins
			continue
		}
		out = append(out, bl)
	}
	return out
}

// boundaryScore rates the place before token at of side as an edge of a
// change: line ends and sentence ends best, then clause punctuation, spaces
// and changes of script; between two Chinese characters worst.
func boundaryScore(side *tokenSide, at int) int {
	x := side.starts[at]
	if x <= side.lo || x >= side.hi {
		return 6
	}
	left, _ := utf8.DecodeLastRuneInString(side.text[max(side.lo, x-utf8.UTFMax):x])
	right, _ := decodeRune(side.text[x:min(side.hi, x+utf8.UTFMax)])
	switch left {
	case '\n':
		return 6
	case '。', '！', '？', '…':
		return 5
	case '；', '：', '”', '」', '』', '）', '》', '】':
		return 4
	case '，', '、', ',', ';', ':', '.', '!', '?':
		return 3
	case ' ', '\t', '\u3000', '\r':
		return 2
	}
	switch right {
	case ' ', '\t', '\u3000', '\r', '\n', '“', '「', '『', '（', '《', '【':
		return 2
	}
	if classify(left) != classify(right) {
		return 1
	}
	return 0
}

// isSoup reports whether a paired unit's diff keeps too little in common to
// be read as edits (then the unit is replaced whole): less than a third of
// the longer side, in bytes, equal. trimmed is the equal bytes left out
// around the tokens.
func isSoup(blocks []block, A *tokenSide, trimmed, longer int) bool {
	eq := trimmed
	i := 0
	for _, bl := range blocks {
		eq += A.starts[i+bl.eq] - A.starts[i]
		i += bl.eq + bl.del
	}
	return eq*3 < longer
}
