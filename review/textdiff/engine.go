package textdiff

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Levels of units, coarse to fine.
const (
	levelParagraph = iota // lines
	levelSentence         // inside long paragraphs: after 。！？；
	levelClause           // inside long sentences: after ，、： and spaces
	levelToken            // characters and words
)

// splitBytes is the size above which a paired unit is cut into the units of
// the next level before it is compared token by token. Below it a token diff
// is cheap and finds the smallest edit.
const splitBytes = 2048

// piece is one output operation over byte ranges of the two texts.
type piece struct {
	op     Op
	o0, o1 int // old text range (equal, delete)
	n0, n1 int // new text range (equal, insert)
	move   int
}

// moveCandidate is a whole paragraph deleted or inserted at the top level.
type moveCandidate struct {
	s     span
	id    int32
	piece int
}

type differ struct {
	ctx      context.Context
	old, new string
	deadline time.Time // zero: no limit
	expired  bool
	degraded bool

	dmp *diffmatchpatch.DiffMatchPatch
	out []piece

	tokDict map[string]rune
	nextTok rune

	// buffers reused from one pair of units to the next
	bufStartsA, bufStartsB []int
	bufIDsA, bufIDsB       []rune
	bufBlocks              []block

	dels, ins []moveCandidate
	stats     Stats
}

func newDiffer(ctx context.Context, oldText, newText string, budget time.Duration) *differ {
	d := &differ{
		ctx: ctx, old: oldText, new: newText,
		dmp:     diffmatchpatch.New(),
		tokDict: map[string]rune{},
		nextTok: tokenIDBase,
	}
	d.out = make([]piece, 0, 16+(len(oldText)+len(newText))/128)
	if budget > 0 {
		d.deadline = time.Now().Add(budget)
	}
	if dl, ok := ctx.Deadline(); ok && (d.deadline.IsZero() || dl.Before(d.deadline)) {
		d.deadline = dl
	}
	return d
}

// timeLeft returns the time left (negative: unlimited) and false once the
// budget has run out or the context is done.
func (d *differ) timeLeft() (time.Duration, bool) {
	if d.expired {
		return 0, false
	}
	if d.ctx.Err() != nil {
		d.expired = true
		return 0, false
	}
	if d.deadline.IsZero() {
		return -1, true
	}
	left := time.Until(d.deadline)
	if left <= 0 {
		d.expired = true
		return 0, false
	}
	return left, true
}

// godiff runs go-diff on two rune strings of unit ids within the budget. It
// returns false, having done nothing, when no time is left. A call cut short
// by the deadline may have replaced a part by delete+insert: that is still
// exact, and the result is marked degraded.
func (d *differ) godiff(a, b []rune) ([]diffmatchpatch.Diff, bool) {
	left, ok := d.timeLeft()
	if !ok {
		d.degraded = true
		return nil, false
	}
	if left < 0 || len(a)*len(b) <= exactCells {
		// Small enough to finish quickly: no deadline, and so no half-match
		// shortcut either, which can miss the smallest diff.
		d.dmp.DiffTimeout = 0
	} else {
		d.dmp.DiffTimeout = left
	}
	diffs := d.dmp.DiffMainRunes(a, b, false)
	if _, ok := d.timeLeft(); !ok {
		d.degraded = true
	}
	return diffs, true
}

// exactCells bounds the problems go-diff solves without a deadline: at most
// this many token pairs take well under a millisecond.
const exactCells = 1 << 16

// run computes the whole diff into d.out.
func (d *differ) run() {
	oldUnits := splitLines(d.old, span{0, len(d.old)}, nil)
	newUnits := splitLines(d.new, span{0, len(d.new)}, nil)
	oldIDs, newIDs, nids := unitIDs(d.old, oldUnits, d.new, newUnits)
	runs := d.diffIDs(oldIDs, newIDs, nids)
	d.walk(levelParagraph, runs, oldUnits, newUnits, oldIDs, newIDs)
	d.detectMoves()
}

// unitIDs numbers units so that two units get the same id exactly when their
// bytes are equal.
func unitIDs(a string, aUnits []span, b string, bUnits []span) (aIDs, bIDs []int32, n int) {
	dict := make(map[string]int32, len(aUnits)+len(bUnits))
	number := func(text string, units []span) []int32 {
		ids := make([]int32, len(units))
		for i, u := range units {
			key := text[u.start:u.end]
			id, ok := dict[key]
			if !ok {
				id = int32(len(dict))
				dict[key] = id
			}
			ids[i] = id
		}
		return ids
	}
	aIDs = number(a, aUnits)
	bIDs = number(b, bUnits)
	return aIDs, bIDs, len(dict)
}

// walk turns runs over units into output: equal units as they are, changed
// stretches through region.
func (d *differ) walk(level int, runs []run, aUnits, bUnits []span, aIDs, bIDs []int32) {
	ai, bi := 0, 0
	for k := 0; k < len(runs); {
		if runs[k].op == OpEqual {
			n := runs[k].n
			d.emitEqual(aUnits[ai].start, aUnits[ai+n-1].end, bUnits[bi].start, bUnits[bi+n-1].end)
			ai, bi = ai+n, bi+n
			k++
			continue
		}
		da, db := 0, 0
		for ; k < len(runs) && runs[k].op != OpEqual; k++ {
			if runs[k].op == OpDelete {
				da += runs[k].n
			} else {
				db += runs[k].n
			}
		}
		d.region(level, aUnits[ai:ai+da], bUnits[bi:bi+db], aIDs[ai:ai+da], bIDs[bi:bi+db])
		ai, bi = ai+da, bi+db
	}
}

// region handles a stretch of changed units: it pairs them by similarity,
// refines the pairs and deletes or inserts the rest whole.
func (d *differ) region(level int, aUnits, bUnits []span, aIDs, bIDs []int32) {
	var pairs [][2]int32
	if len(aUnits) > 0 && len(bUnits) > 0 {
		aSigs := make([]signature, len(aUnits))
		bSigs := make([]signature, len(bUnits))
		aDone := make([]bool, len(aUnits))
		bDone := make([]bool, len(bUnits))
		sim := func(i, j int) float32 {
			if aIDs[i] == bIDs[j] {
				return 1
			}
			if !aDone[i] {
				aSigs[i] = sign(d.old[aUnits[i].start:aUnits[i].end])
				aDone[i] = true
			}
			if !bDone[j] {
				bSigs[j] = sign(d.new[bUnits[j].start:bUnits[j].end])
				bDone[j] = true
			}
			return aSigs[i].similarity(&bSigs[j])
		}
		pairs = pairUnits(len(aUnits), len(bUnits), sim)
	}
	i, j := 0, 0
	flush := func(toI, toJ int) {
		for ; i < toI; i++ {
			d.deleteUnit(level, aUnits[i], aIDs[i])
		}
		for ; j < toJ; j++ {
			d.insertUnit(level, bUnits[j], bIDs[j])
		}
	}
	for _, p := range pairs {
		flush(int(p[0]), int(p[1]))
		a, b := aUnits[i], bUnits[j]
		if aIDs[i] == bIDs[j] {
			d.emitEqual(a.start, a.end, b.start, b.end)
		} else {
			if level == levelParagraph && !(isBlank(d.old[a.start:a.end]) && isBlank(d.new[b.start:b.end])) {
				d.stats.ParagraphsChanged++
			}
			d.refine(level, a, b)
		}
		i, j = i+1, j+1
	}
	flush(len(aUnits), len(bUnits))
}

func (d *differ) deleteUnit(level int, s span, id int32) {
	if level == levelParagraph && !isBlank(d.old[s.start:s.end]) {
		d.dels = append(d.dels, moveCandidate{s: s, id: id, piece: len(d.out)})
	}
	d.emit(piece{op: OpDelete, o0: s.start, o1: s.end})
}

func (d *differ) insertUnit(level int, s span, id int32) {
	if level == levelParagraph && !isBlank(d.new[s.start:s.end]) {
		d.ins = append(d.ins, moveCandidate{s: s, id: id, piece: len(d.out)})
	}
	d.emit(piece{op: OpInsert, n0: s.start, n1: s.end})
}

// refine compares two paired units that differ, at the next finer level.
func (d *differ) refine(level int, a, b span) {
	if _, ok := d.timeLeft(); !ok {
		d.degraded = true
		d.replace(a, b)
		return
	}
	for level++; level < levelToken; level++ {
		if a.end-a.start <= splitBytes && b.end-b.start <= splitBytes {
			break
		}
		aUnits := splitLevel(level, d.old, a)
		bUnits := splitLevel(level, d.new, b)
		if len(aUnits) == 1 && len(bUnits) == 1 {
			continue // nothing to cut at this level: try the next one
		}
		aIDs, bIDs, nids := unitIDs(d.old, aUnits, d.new, bUnits)
		d.walk(level, d.diffIDs(aIDs, bIDs, nids), aUnits, bUnits, aIDs, bIDs)
		return
	}
	d.diffTokens(a, b)
}

func splitLevel(level int, text string, s span) []span {
	if level == levelSentence {
		return splitSentences(text, s, nil)
	}
	return splitClauses(text, s, nil)
}

// replace deletes a and inserts b whole.
func (d *differ) replace(a, b span) {
	if a.start < a.end {
		d.emit(piece{op: OpDelete, o0: a.start, o1: a.end})
	}
	if b.start < b.end {
		d.emit(piece{op: OpInsert, n0: b.start, n1: b.end})
	}
}

func (d *differ) emitEqual(o0, o1, n0, n1 int) {
	if o0 == o1 {
		return
	}
	if k := len(d.out) - 1; k >= 0 && d.out[k].op == OpEqual && d.out[k].o1 == o0 && d.out[k].n1 == n0 {
		d.out[k].o1, d.out[k].n1 = o1, n1
		return
	}
	d.out = append(d.out, piece{op: OpEqual, o0: o0, o1: o1, n0: n0, n1: n1})
}

func (d *differ) emit(p piece) { d.out = append(d.out, p) }

// run is a number of consecutive units (or tokens) with one operation.
type run struct {
	op Op
	n  int
}

// diffIDs diffs two sequences of unit ids: common prefix and suffix, then
// anchors on units that occur once on each side (patience), then go-diff's
// line mode (units as runes) between anchors.
func (d *differ) diffIDs(a, b []int32, nids int) []run {
	var runs []run
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	runs = appendRun(runs, OpEqual, pre)
	ma, mb := a[pre:len(a)-suf], b[pre:len(b)-suf]
	if len(ma)+len(mb) <= 256 {
		runs = d.diffGap(runs, ma, mb)
	} else {
		ia, ib := 0, 0
		for _, anc := range patienceAnchors(ma, mb, nids) {
			runs = d.diffGap(runs, ma[ia:anc[0]], mb[ib:anc[1]])
			runs = appendRun(runs, OpEqual, 1)
			ia, ib = int(anc[0])+1, int(anc[1])+1
		}
		runs = d.diffGap(runs, ma[ia:], mb[ib:])
	}
	return appendRun(runs, OpEqual, suf)
}

func appendRun(runs []run, op Op, n int) []run {
	if n == 0 {
		return runs
	}
	if k := len(runs) - 1; k >= 0 && runs[k].op == op {
		runs[k].n += n
		return runs
	}
	return append(runs, run{op, n})
}

// maxUnitRune bounds the ids that can be passed to go-diff as runes.
const maxUnitRune = utf8.MaxRune - 0x800

func idRune(id int32) rune {
	r := rune(id) + 1
	if r >= 0xD800 {
		r += 0x800 // skip the surrogates, which do not survive string conversion
	}
	return r
}

// diffGap diffs two stretches of ids that have no anchor in common.
func (d *differ) diffGap(runs []run, a, b []int32) []run {
	if len(a) == 0 || len(b) == 0 {
		runs = appendRun(runs, OpDelete, len(a))
		return appendRun(runs, OpInsert, len(b))
	}
	if !shareAny(a, b) {
		runs = appendRun(runs, OpDelete, len(a))
		return appendRun(runs, OpInsert, len(b))
	}
	ra := make([]rune, len(a))
	rb := make([]rune, len(b))
	for i, id := range a {
		if id >= maxUnitRune {
			return appendRun(appendRun(runs, OpDelete, len(a)), OpInsert, len(b))
		}
		ra[i] = idRune(id)
	}
	for i, id := range b {
		if id >= maxUnitRune {
			return appendRun(appendRun(runs, OpDelete, len(a)), OpInsert, len(b))
		}
		rb[i] = idRune(id)
	}
	diffs, ok := d.godiff(ra, rb)
	if !ok {
		// Out of time: pairing the units by similarity still keeps the
		// identical ones equal.
		return appendRun(appendRun(runs, OpDelete, len(a)), OpInsert, len(b))
	}
	for _, df := range diffs {
		runs = appendRun(runs, goOp(df.Type), utf8.RuneCountInString(df.Text))
	}
	return runs
}

func goOp(t diffmatchpatch.Operation) Op {
	switch t {
	case diffmatchpatch.DiffInsert:
		return OpInsert
	case diffmatchpatch.DiffDelete:
		return OpDelete
	}
	return OpEqual
}

// shareAny reports whether a and b have an id in common.
func shareAny(a, b []int32) bool {
	if len(a)*len(b) <= 64 {
		for _, x := range a {
			for _, y := range b {
				if x == y {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[int32]struct{}, len(a))
	for _, x := range a {
		seen[x] = struct{}{}
	}
	for _, y := range b {
		if _, ok := seen[y]; ok {
			return true
		}
	}
	return false
}

// patienceAnchors returns the positions (i in a, j in b) of the longest
// increasing chain of units that occur exactly once in a and once in b.
func patienceAnchors(a, b []int32, nids int) [][2]int32 {
	countA := make([]int32, nids)
	countB := make([]int32, nids)
	posB := make([]int32, nids)
	for _, id := range a {
		countA[id]++
	}
	for j, id := range b {
		countB[id]++
		posB[id] = int32(j)
	}
	var cand [][2]int32
	for i, id := range a {
		if countA[id] == 1 && countB[id] == 1 {
			cand = append(cand, [2]int32{int32(i), posB[id]})
		}
	}
	if len(cand) == 0 {
		return nil
	}
	// Longest increasing subsequence on j (patience sorting).
	tails := []int{}
	prev := make([]int, len(cand))
	for k, c := range cand {
		lo, hi := 0, len(tails)
		for lo < hi {
			m := (lo + hi) / 2
			if cand[tails[m]][1] < c[1] {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo > 0 {
			prev[k] = tails[lo-1]
		} else {
			prev[k] = -1
		}
		if lo == len(tails) {
			tails = append(tails, k)
		} else {
			tails[lo] = k
		}
	}
	out := make([][2]int32, len(tails))
	for k, i := tails[len(tails)-1], len(tails)-1; i >= 0; k, i = prev[k], i-1 {
		out[i] = cand[k]
	}
	return out
}

// detectMoves marks whole deleted and inserted paragraphs that are the same
// paragraph (or nearly so) as the two ends of a move.
func (d *differ) detectMoves() {
	moves := 0
	mark := func(a, b *moveCandidate) {
		moves++
		d.out[a.piece].move = moves
		d.out[b.piece].move = moves
	}
	if len(d.dels) > 0 && len(d.ins) > 0 {
		byID := map[int32][]int{}
		for j := range d.ins {
			byID[d.ins[j].id] = append(byID[d.ins[j].id], j)
		}
		used := make([]bool, len(d.ins))
		var restA []int
		for i := range d.dels {
			if js := byID[d.dels[i].id]; len(js) > 0 {
				mark(&d.dels[i], &d.ins[js[0]])
				used[js[0]] = true
				byID[d.dels[i].id] = js[1:]
			} else {
				restA = append(restA, i)
			}
		}
		var restB []int
		for j := range d.ins {
			if !used[j] {
				restB = append(restB, j)
			}
		}
		if len(restA) > 0 && len(restB) > 0 && len(restA)*len(restB) <= maxMoveCells {
			for _, m := range matchSimilar(d.old, d.dels, restA, d.new, d.ins, restB) {
				mark(&d.dels[m[0]], &d.ins[m[1]])
			}
		}
	}
	d.stats.ParagraphsMoved = moves
	d.stats.ParagraphsDeleted = len(d.dels) - moves
	d.stats.ParagraphsInserted = len(d.ins) - moves
}

// maxMoveCells bounds the pairs of deleted and inserted paragraphs compared
// when looking for moved and edited paragraphs.
const maxMoveCells = 1 << 18
