package textdiff

import (
	"reflect"
	"strings"
	"testing"
)

// checkAlignment checks that the side-by-side rows hold both texts, line by
// line and in order, and that every change points at a row that shows it.
func checkAlignment(t testing.TB, r *Result) {
	t.Helper()
	rows := r.SideBySide()
	var left, right strings.Builder
	nl, nr := 0, 0
	for i, row := range rows {
		if row.Left == nil && row.Right == nil {
			t.Fatalf("row %d is empty", i)
		}
		if row.Left == nil && row.Kind != RowInserted || row.Right == nil && row.Kind != RowDeleted {
			t.Fatalf("row %d: kind %s with left %v right %v", i, row.Kind, row.Left, row.Right)
		}
		for _, side := range []struct {
			l  *Line
			b  *strings.Builder
			n  *int
			op Op
		}{{row.Left, &left, &nl, OpDelete}, {row.Right, &right, &nr, OpInsert}} {
			if side.l == nil {
				continue
			}
			*side.n++
			if side.l.Number != *side.n {
				t.Fatalf("row %d: line number %d, want %d", i, side.l.Number, *side.n)
			}
			for _, s := range side.l.Segments {
				if s.Op != OpEqual && s.Op != side.op || strings.Contains(s.Text, "\n") {
					t.Fatalf("row %d: segment %q", i, s)
				}
			}
			side.b.WriteString(side.l.Text())
			if side.l.Break != "" {
				side.b.WriteString("\n")
			}
		}
	}
	if left.String() != r.OldText() || right.String() != r.NewText() {
		t.Fatalf("rows do not hold the texts:\nleft  %q\nold   %q\nright %q\nnew   %q", left.String(), r.OldText(), right.String(), r.NewText())
	}
	for _, c := range r.Changes() {
		if c.Row < 0 || c.Row >= len(rows) {
			t.Fatalf("change %+v: row out of range (%d rows)", c, len(rows))
		}
		row := rows[c.Row]
		if (row.Left == nil || !row.Left.changed()) && (row.Right == nil || !row.Right.changed()) {
			t.Fatalf("change %+v: row %d shows no change: %+v", c, c.Row, row)
		}
		if r.Segments[c.Segment].Op == OpEqual {
			t.Fatalf("change %+v starts on an equal segment", c)
		}
	}
}

func TestSideBySide(t *testing.T) {
	old := "第一条 总则。\n第二条 删除的条款。\n第三条 办公室负责统筹。\n第四条 附则。"
	new := "第一条 总则。\n第三条 办公室负责统筹规划。\n第三条之一 新增条款，内容全新。\n第四条 附则。"
	r := diff(t, old, new)
	checkAlignment(t, r)
	rows := r.SideBySide()
	type shape struct {
		kind        RowKind
		left, right string
	}
	var got []shape
	for _, row := range rows {
		s := shape{kind: row.Kind}
		if row.Left != nil {
			s.left = row.Left.Text()
		}
		if row.Right != nil {
			s.right = row.Right.Text()
		}
		got = append(got, s)
	}
	want := []shape{
		{RowEqual, "第一条 总则。", "第一条 总则。"},
		{RowDeleted, "第二条 删除的条款。", ""},
		{RowChanged, "第三条 办公室负责统筹。", "第三条 办公室负责统筹规划。"},
		{RowInserted, "", "第三条之一 新增条款，内容全新。"},
		{RowEqual, "第四条 附则。", "第四条 附则。"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows\n got %v\nwant %v", got, want)
	}
	changed := rows[2].Right.Segments
	if len(changed) != 3 || changed[1] != (Segment{Op: OpInsert, Text: "规划"}) {
		t.Errorf("changed line segments %q", changed)
	}
	if rows[4].Left.Break != "" || rows[0].Left.Break != OpEqual || rows[1].Left.Break != OpDelete {
		t.Errorf("breaks: %q %q %q", rows[0].Left.Break, rows[1].Left.Break, rows[4].Left.Break)
	}
	changes := r.Changes()
	var at []int
	for _, c := range changes {
		at = append(at, c.Row)
	}
	if !reflect.DeepEqual(at, []int{1, 2, 3}) {
		t.Errorf("changes at rows %v, want [1 2 3]: %+v", at, changes)
	}
	if c := changes[1]; old[c.Old:c.Old+len("。")] != "。" || new[c.New:c.New+len("规划")] != "规划" {
		t.Errorf("change offsets %+v", c)
	}
}

func TestSideBySideMove(t *testing.T) {
	arts := articles(6)
	old := strings.Join(arts, "")
	new := arts[0] + arts[2] + arts[3] + arts[4] + arts[1] + arts[5]
	r := diff(t, old, new)
	checkAlignment(t, r)
	moves := 0
	for _, row := range r.SideBySide() {
		if row.Move != 0 {
			moves++
			if row.Kind != RowDeleted && row.Kind != RowInserted {
				t.Errorf("moved row of kind %s", row.Kind)
			}
		}
	}
	if moves != 2 {
		t.Errorf("%d rows marked as moved, want 2", moves)
	}
	for _, c := range r.Changes() {
		if c.Move == 0 {
			t.Errorf("change %+v not marked as a move", c)
		}
	}
}
