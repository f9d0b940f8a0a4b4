package textdiff

import "unicode/utf8"

// result turns the pieces into segments: one-character equal islands
// between changes are folded into them, deletions go before insertions in
// each stretch of changes, and neighbours with the same operation merge.
func (d *differ) result() *Result {
	merged := make([]piece, 0, len(d.out))
	add := func(p piece) {
		if k := len(merged) - 1; k >= 0 && merged[k].op == p.op && merged[k].move == 0 && p.move == 0 {
			merged[k].o1 = max(merged[k].o1, p.o1)
			merged[k].n1 = max(merged[k].n1, p.n1)
			return
		}
		merged = append(merged, p)
	}
	// Each stretch of changes runs from k to end (exclusive); an equal island
	// inside it is emitted as a delete and an insert.
	for k := 0; k < len(d.out); {
		if d.out[k].op == OpEqual {
			add(d.out[k])
			k++
			continue
		}
		end := k + 1
		for end < len(d.out) && (d.out[end].op != OpEqual ||
			end+1 < len(d.out) && d.isIsland(d.out[end], d.out[end-1], d.out[end+1])) {
			end++
		}
		for _, op := range [2]Op{OpDelete, OpInsert} {
			for _, p := range d.out[k:end] {
				switch {
				case p.op == op:
					add(p)
				case p.op == OpEqual && op == OpDelete:
					add(piece{op: OpDelete, o0: p.o0, o1: p.o1})
				case p.op == OpEqual:
					add(piece{op: OpInsert, n0: p.n0, n1: p.n1})
				}
			}
		}
		k = end
	}
	segs := make([]Segment, 0, len(merged))
	for _, p := range merged {
		text := d.old[p.o0:p.o1]
		if p.op == OpInsert {
			text = d.new[p.n0:p.n1]
		}
		if text != "" {
			segs = append(segs, Segment{Op: p.op, Text: text, Move: p.move})
		}
	}
	r := &Result{Segments: segs, Degraded: d.degraded, Stats: d.stats}
	for _, s := range segs {
		switch s.Op {
		case OpInsert:
			r.Stats.RunesInserted += countRunes(s.Text)
		case OpDelete:
			r.Stats.RunesDeleted += countRunes(s.Text)
		}
	}
	return r
}

// isIsland reports whether the equal piece p, between two changes, is a
// single character to fold into them. Line breaks stay, and so does the
// text around a moved paragraph.
func (d *differ) isIsland(p, before, after piece) bool {
	if before.op == OpEqual || after.op == OpEqual || before.move != 0 || after.move != 0 {
		return false
	}
	text := d.old[p.o0:p.o1]
	r, n := utf8.DecodeRuneInString(text)
	return n == len(text) && r != '\n' && r != '\r'
}
