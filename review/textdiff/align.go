package textdiff

import "strings"

// RowKind says how the two sides of a side-by-side row compare.
type RowKind string

// Kinds of rows.
const (
	RowEqual    RowKind = "equal"    // the same line on both sides
	RowChanged  RowKind = "changed"  // a line on each side, edited
	RowDeleted  RowKind = "deleted"  // a line only on the left (old)
	RowInserted RowKind = "inserted" // a line only on the right (new)
)

// Line is one line of one side of the side-by-side view.
type Line struct {
	Number int // 1-based line number in its own text
	// Segments is the line's text without its line break ("\n"; a CR
	// before it stays), cut where the
	// operation changes: equal and delete on the left, equal and insert on
	// the right, so that the UI can colour inside the line.
	Segments []Segment
	// Break is what happened to the line break that ends the line: OpEqual,
	// OpDelete (left) or OpInsert (right); empty for a last line without one.
	Break Op
}

// Text returns the line's text without its line break.
func (l *Line) Text() string {
	var b strings.Builder
	for _, s := range l.Segments {
		b.WriteString(s.Text)
	}
	return b.String()
}

func (l *Line) changed() bool {
	if l.Break != "" && l.Break != OpEqual {
		return true
	}
	for _, s := range l.Segments {
		if s.Op != OpEqual {
			return true
		}
	}
	return false
}

// Row is one row of the side-by-side view: the old line on the left and the
// new line on the right. Left or Right is nil where that side has no line
// (a line deleted or inserted whole).
type Row struct {
	Kind  RowKind
	Left  *Line
	Right *Line
	// Move is non-zero when the row shows one end of a moved paragraph; the
	// other end carries the same number (see Segment.Move).
	Move int
}

// Change is one place that changed: a run of consecutive deleted and
// inserted segments. The UI jumps from one to the next.
type Change struct {
	Segment int // index in Result.Segments of its first segment
	Count   int // its number of segments
	Old     int // byte offset in the old text where it begins
	New     int // byte offset in the new text where it begins
	Row     int // index in SideBySide of the first row that shows it
	Move    int // non-zero when it is one end of a moved paragraph
}

// SideBySide aligns the two texts line by line for a two-column view.
// Equal line breaks keep the columns in step; in between, edited lines face
// each other and lines deleted or inserted whole get a row of their own.
func (r *Result) SideBySide() []Row {
	rows, _ := r.align()
	return rows
}

// Changes lists the places that changed, in order, with the row of
// SideBySide where each begins.
func (r *Result) Changes() []Change {
	_, rowOf := r.align()
	return r.changes(rowOf)
}

// Aligned is SideBySide and Changes from one alignment, for a view that
// shows both.
func (r *Result) Aligned() ([]Row, []Change) {
	rows, rowOf := r.align()
	return rows, r.changes(rowOf)
}

// changes lists the changes; rowOf is align's first row of each segment.
func (r *Result) changes(rowOf []int) []Change {
	var out []Change
	oldAt, newAt := 0, 0
	for k := 0; k < len(r.Segments); {
		s := r.Segments[k]
		if s.Op == OpEqual {
			oldAt += len(s.Text)
			newAt += len(s.Text)
			k++
			continue
		}
		c := Change{Segment: k, Old: oldAt, New: newAt, Row: -1, Move: s.Move}
		for ; k < len(r.Segments) && r.Segments[k].Op != OpEqual; k++ {
			if r.Segments[k].Op == OpDelete {
				oldAt += len(r.Segments[k].Text)
			} else {
				newAt += len(r.Segments[k].Text)
			}
			if row := rowOf[k]; row >= 0 && (c.Row < 0 || row < c.Row) {
				c.Row = row
			}
			c.Count++
		}
		out = append(out, c)
	}
	return out
}

// pendingLine is a line being built by align.
type pendingLine struct {
	line    Line
	seq     int   // index of the first segment that reached it
	touched []int // indexes of the changed segments that reach it
	pure    bool  // deleted (left) or inserted (right) whole, line break included
}

// align builds the rows and, for every segment, the first row that shows
// it (-1 for none).
func (r *Result) align() ([]Row, []int) {
	rows := []Row{}
	rowOf := make([]int, len(r.Segments))
	for i := range rowOf {
		rowOf[i] = -1
	}
	var leftDone, rightDone []*pendingLine
	oldLine, newLine := 1, 1
	var left, right *pendingLine
	start := func(cur **pendingLine, number *int, seq int) *pendingLine {
		if *cur == nil {
			*cur = &pendingLine{line: Line{Number: *number}, seq: seq}
			*number++
		}
		return *cur
	}
	addText := func(p *pendingLine, s Segment, k int, text string) {
		if text != "" {
			if n := len(p.line.Segments); n > 0 && p.line.Segments[n-1].Op == s.Op && p.line.Segments[n-1].Move == s.Move {
				p.line.Segments[n-1].Text += text
			} else {
				p.line.Segments = append(p.line.Segments, Segment{Op: s.Op, Text: text, Move: s.Move})
			}
		}
		if s.Op != OpEqual {
			p.touched = append(p.touched, k)
		}
	}
	emit := func(l, rt *pendingLine) {
		row := Row{Kind: RowChanged}
		switch {
		case l == nil:
			row.Kind = RowInserted
		case rt == nil:
			row.Kind = RowDeleted
		case !l.line.changed() && !rt.line.changed():
			row.Kind = RowEqual
		}
		for _, p := range [2]*pendingLine{l, rt} {
			if p == nil {
				continue
			}
			line := p.line
			if p == l {
				row.Left = &line
			} else {
				row.Right = &line
			}
			for _, k := range p.touched {
				if rowOf[k] < 0 {
					rowOf[k] = len(rows)
				}
				if m := r.Segments[k].Move; m != 0 && row.Move == 0 {
					row.Move = m
				}
			}
		}
		rows = append(rows, row)
	}
	// flush lays out the lines finished since the last equal line break.
	flush := func() {
		i, j := 0, 0
		for i < len(leftDone) || j < len(rightDone) {
			switch {
			case i < len(leftDone) && j < len(rightDone):
				l, rt := leftDone[i], rightDone[j]
				switch {
				case !l.pure && !rt.pure:
					emit(l, rt)
					i, j = i+1, j+1
				case l.pure && (!rt.pure || l.seq <= rt.seq):
					emit(l, nil)
					i++
				default:
					emit(nil, rt)
					j++
				}
			case i < len(leftDone):
				emit(leftDone[i], nil)
				i++
			default:
				emit(nil, rightDone[j])
				j++
			}
		}
		leftDone, rightDone = leftDone[:0], rightDone[:0]
	}
	finish := func(cur **pendingLine, done *[]*pendingLine, brk Op, whole Op) {
		p := *cur
		p.line.Break = brk
		p.pure = brk == whole || brk == "" && len(p.line.Segments) > 0
		for _, s := range p.line.Segments {
			if s.Op != whole {
				p.pure = false
			}
		}
		*done = append(*done, p)
		*cur = nil
	}
	for k, s := range r.Segments {
		text := s.Text
		for text != "" {
			part, rest, hasBreak := strings.Cut(text, "\n")
			text = rest
			if s.Op != OpInsert {
				addText(start(&left, &oldLine, k), s, k, part)
			}
			if s.Op != OpDelete {
				addText(start(&right, &newLine, k), s, k, part)
			}
			if !hasBreak {
				break
			}
			switch s.Op {
			case OpEqual:
				finish(&left, &leftDone, OpEqual, OpDelete)
				finish(&right, &rightDone, OpEqual, OpInsert)
				flush()
			case OpDelete:
				finish(&left, &leftDone, OpDelete, OpDelete)
			case OpInsert:
				finish(&right, &rightDone, OpInsert, OpInsert)
			}
		}
	}
	if left != nil {
		finish(&left, &leftDone, "", OpDelete)
	}
	if right != nil {
		finish(&right, &rightDone, "", OpInsert)
	}
	flush()
	return rows, rowOf
}
