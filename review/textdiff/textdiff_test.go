package textdiff

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func diff(t testing.TB, oldText, newText string) *Result {
	t.Helper()
	r := Diff(context.Background(), oldText, newText, Options{})
	checkResult(t, oldText, newText, r)
	return r
}

// checkResult checks what every result must satisfy: the segments rebuild
// both texts byte for byte, no segment is empty, equal segments never touch,
// and the rune counts add up.
func checkResult(t testing.TB, oldText, newText string, r *Result) {
	t.Helper()
	if got := r.OldText(); got != oldText {
		t.Fatalf("old text not rebuilt:\n got %q\nwant %q", got, oldText)
	}
	if got := r.NewText(); got != newText {
		t.Fatalf("new text not rebuilt:\n got %q\nwant %q", got, newText)
	}
	ins, del := 0, 0
	for k, s := range r.Segments {
		switch s.Op {
		case OpEqual, OpInsert, OpDelete:
		default:
			t.Fatalf("segment %d has op %q", k, s.Op)
		}
		if s.Text == "" {
			t.Fatalf("segment %d is empty", k)
		}
		if k > 0 && s.Op == OpEqual && r.Segments[k-1].Op == OpEqual {
			t.Fatalf("segments %d and %d are both equal", k-1, k)
		}
		if s.Op == OpInsert {
			ins += utf8.RuneCountInString(s.Text)
		}
		if s.Op == OpDelete {
			del += utf8.RuneCountInString(s.Text)
		}
	}
	if ins != r.Stats.RunesInserted || del != r.Stats.RunesDeleted {
		t.Fatalf("stats count %d inserted, %d deleted runes; segments have %d, %d", r.Stats.RunesInserted, r.Stats.RunesDeleted, ins, del)
	}
}

func seg(op Op, text string) Segment { return Segment{Op: op, Text: text} }

func TestKnownPairs(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []Segment
	}{
		{
			name: "Chinese insertion",
			old:  "第一条 为了规范网站管理，制定本办法。\n",
			new:  "第一条 为了进一步规范网站管理，制定本办法。\n",
			want: []Segment{seg(OpEqual, "第一条 为了"), seg(OpInsert, "进一步"), seg(OpEqual, "规范网站管理，制定本办法。\n")},
		},
		{
			name: "Chinese substitution",
			old:  "办公室每月对网站运行情况进行检查。",
			new:  "办公室每季度对网站运行情况进行检查。",
			want: []Segment{seg(OpEqual, "办公室每"), seg(OpDelete, "月"), seg(OpInsert, "季度"), seg(OpEqual, "对网站运行情况进行检查。")},
		},
		{
			name: "Latin words are whole",
			old:  "The quick brown fox jumps.",
			new:  "The quick red fox jumps.",
			want: []Segment{seg(OpEqual, "The quick "), seg(OpDelete, "brown"), seg(OpInsert, "red"), seg(OpEqual, " fox jumps.")},
		},
		{
			name: "digits are one word",
			old:  "津城管办〔2024〕139号",
			new:  "津城管办〔2025〕139号",
			want: []Segment{seg(OpEqual, "津城管办〔"), seg(OpDelete, "2024"), seg(OpInsert, "2025"), seg(OpEqual, "〕139号")},
		},
		{
			name: "inserted clause ends on its comma",
			old:  "加强网站建设，确保运行安全。",
			new:  "加强网站建设，规范内容管理，确保运行安全。",
			want: []Segment{seg(OpEqual, "加强网站建设，"), seg(OpInsert, "规范内容管理，"), seg(OpEqual, "确保运行安全。")},
		},
		{
			name: "one-character island folded",
			old:  "本办法由办公室负责解释。",
			new:  "本办法由秘公处负责解释。",
			want: []Segment{seg(OpEqual, "本办法由"), seg(OpDelete, "办公室"), seg(OpInsert, "秘公处"), seg(OpEqual, "负责解释。")},
		},
		{
			name: "paragraph deleted whole",
			old:  "第一条 总则。\n第二条 适用范围。\n第三条 附则。\n",
			new:  "第一条 总则。\n第三条 附则。\n",
			want: []Segment{seg(OpEqual, "第一条 总则。\n"), seg(OpDelete, "第二条 适用范围。\n"), seg(OpEqual, "第三条 附则。\n")},
		},
		{
			name: "identical",
			old:  "相同的文本\n",
			new:  "相同的文本\n",
			want: []Segment{seg(OpEqual, "相同的文本\n")},
		},
		{
			name: "both empty",
			want: []Segment{},
		},
		{
			name: "from nothing",
			new:  "新稿件",
			want: []Segment{seg(OpInsert, "新稿件")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := diff(t, tt.old, tt.new)
			if !reflect.DeepEqual(r.Segments, tt.want) {
				t.Errorf("segments:\n got %q\nwant %q", r.Segments, tt.want)
			}
		})
	}
}

func TestNoOneCharacterIslands(t *testing.T) {
	old := regulation(3, 20<<10)
	for seed := uint64(1); seed <= 4; seed++ {
		rng := rand.New(rand.NewPCG(seed, 1))
		lines := strings.SplitAfter(old, "\n")
		for i := range lines {
			lines[i] = editRunes(rng, lines[i], 0.2)
		}
		new := strings.Join(lines, "")
		r := diff(t, old, new)
		for k := 1; k+1 < len(r.Segments); k++ {
			s := r.Segments[k]
			if s.Op == OpEqual && utf8.RuneCountInString(s.Text) == 1 && s.Text != "\n" &&
				r.Segments[k-1].Op != OpEqual && r.Segments[k+1].Op != OpEqual {
				t.Fatalf("seed %d: one-character island %q between %q and %q", seed, s.Text, r.Segments[k-1].Text, r.Segments[k+1].Text)
			}
		}
	}
}

// articles returns n distinct articles, one per line.
func articles(n int) []string {
	var out []string
	for i := 1; i <= n; i++ {
		out = append(out, fmt.Sprintf("第%s条 %s，%s。\n", chineseNumber(i), phrases[(i*7)%len(phrases)], phrases[(i*13+5)%len(phrases)]))
	}
	return out
}

func TestMovedParagraph(t *testing.T) {
	arts := articles(10)
	old := strings.Join(arts, "")
	moved := slices.Clone(arts)
	p := moved[1]
	moved = slices.Delete(moved, 1, 2)
	moved = slices.Insert(moved, 7, p)
	r := diff(t, old, strings.Join(moved, ""))

	var changes []Segment
	for _, s := range r.Segments {
		if s.Op != OpEqual {
			changes = append(changes, s)
		}
	}
	if len(changes) != 2 {
		t.Fatalf("want one delete and one insert, got %q", changes)
	}
	for _, s := range changes {
		if s.Text != p || s.Move != 1 {
			t.Errorf("change %q (move %d), want the whole moved article %q with move 1", s.Text, s.Move, p)
		}
	}
	want := Stats{RunesInserted: utf8.RuneCountInString(p), RunesDeleted: utf8.RuneCountInString(p), ParagraphsMoved: 1}
	if r.Stats != want {
		t.Errorf("stats %+v, want %+v", r.Stats, want)
	}
}

func TestMovedAndEditedParagraphIsNotSoup(t *testing.T) {
	arts := articles(12)
	old := strings.Join(arts, "")
	edited := slices.Clone(arts)
	p := strings.Replace(edited[2], "，", "，并", 1)
	edited = slices.Delete(edited, 2, 3)
	edited = slices.Insert(edited, 10, p)
	r := diff(t, old, strings.Join(edited, ""))
	var dels, ins []Segment
	for _, s := range r.Segments {
		switch s.Op {
		case OpDelete:
			dels = append(dels, s)
		case OpInsert:
			ins = append(ins, s)
		}
	}
	if len(dels) != 1 || len(ins) != 1 || dels[0].Text != arts[2] || ins[0].Text != p {
		t.Fatalf("want the old article deleted whole and the edited one inserted whole, got deletes %q inserts %q", dels, ins)
	}
	if dels[0].Move == 0 || dels[0].Move != ins[0].Move {
		t.Errorf("the two ends are not marked as one move: %d, %d", dels[0].Move, ins[0].Move)
	}
	if r.Stats.ParagraphsMoved != 1 || r.Stats.ParagraphsChanged != 0 || r.Stats.ParagraphsDeleted != 0 || r.Stats.ParagraphsInserted != 0 {
		t.Errorf("stats %+v", r.Stats)
	}
}

func TestParagraphStats(t *testing.T) {
	arts := articles(8)
	old := strings.Join(arts, "") + "\n"
	var b strings.Builder
	b.WriteString(arts[0])
	b.WriteString(strings.Replace(arts[1], "。", "，并报办公室备案。", 1)) // changed
	b.WriteString(arts[2])
	// arts[3] deleted
	b.WriteString("第九十九条 本条为新增条款，自发布之日起执行。\n") // inserted
	b.WriteString(arts[4])
	b.WriteString(arts[5])
	b.WriteString(arts[6])
	b.WriteString(strings.Replace(arts[7], "条", "条　", 1)) // changed (full-width space)
	b.WriteString("\n\n")                                 // one more blank line: not a paragraph
	r := diff(t, old, b.String())
	want := Stats{ParagraphsChanged: 2, ParagraphsInserted: 1, ParagraphsDeleted: 1}
	got := r.Stats
	got.RunesInserted, got.RunesDeleted = 0, 0
	if got != want {
		t.Errorf("paragraph stats %+v, want %+v", got, want)
	}
}

func TestSimilarParagraphsPairedNotByPosition(t *testing.T) {
	arts := articles(6)
	old := strings.Join(arts, "")
	// Replace article 3 by a new one, and edit article 4 slightly: the edit
	// must be shown inside article 4, not as article 3 → article 4.
	edited := slices.Clone(arts)
	edited[2] = "第三条 全新内容与原文完全不同，涉及档案移交。\n"
	edited[3] = strings.Replace(arts[3], "，", "，及时", 1)
	r := diff(t, old, strings.Join(edited, ""))
	found := false
	for _, s := range r.Segments {
		if s.Op == OpInsert && s.Text == "及时" {
			found = true
		}
		if s.Op == OpDelete && s.Text == arts[3] {
			t.Errorf("article 4 deleted whole instead of edited in place")
		}
	}
	if !found {
		t.Errorf("insertion 及时 not shown inside article 4: %q", r.Segments)
	}
	if r.Stats.ParagraphsChanged != 1 || r.Stats.ParagraphsInserted != 1 || r.Stats.ParagraphsDeleted != 1 {
		t.Errorf("stats %+v", r.Stats)
	}
}

func TestLongParagraphsCutIntoSentences(t *testing.T) {
	// One paragraph of ~6 KB: the diff goes through sentences and still
	// finds the single-character edits.
	var b strings.Builder
	for i := 0; b.Len() < 6000; i++ {
		b.WriteString(phrases[i%len(phrases)])
		b.WriteString("。")
	}
	old := b.String()
	new := strings.Replace(old, "统筹规划", "统一规划", 1)
	new = strings.Replace(new, "及时修补安全漏洞。", "", 1)
	r := diff(t, old, new)
	if r.Stats.RunesDeleted != 1+utf8.RuneCountInString("及时修补安全漏洞。") || r.Stats.RunesInserted != 1 {
		t.Errorf("stats %+v, segments %q", r.Stats, r.Segments)
	}
}

func TestNeverCollapses(t *testing.T) {
	c := getBenchCase(50<<10, clustered)
	r := Diff(context.Background(), c.old, c.new, Options{Budget: time.Nanosecond})
	checkResult(t, c.old, c.new, r)
	if !r.Degraded {
		t.Error("a 1 ns budget did not degrade the diff")
	}
	// Every line that is in both texts once and unchanged stays equal.
	equalLines := map[string]bool{}
	for _, s := range r.Segments {
		if s.Op == OpEqual {
			for _, l := range strings.SplitAfter(s.Text, "\n") {
				equalLines[l] = true
			}
		}
	}
	count := func(text string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.SplitAfter(text, "\n") {
			m[l]++
		}
		return m
	}
	inOld, inNew := count(c.old), count(c.new)
	shared, kept := 0, 0
	for l, n := range inOld {
		if n == 1 && inNew[l] == 1 && strings.HasSuffix(l, "\n") {
			shared++
			if equalLines[l] {
				kept++
			}
		}
	}
	// A moved paragraph is the one shared line allowed to leave.
	if shared < 100 || kept < shared-2 {
		t.Errorf("%d of %d shared lines kept equal under a tiny budget", kept, shared)
	}
	// Dispersed edits: every article differs; the chapter headings (equal)
	// must stay equal and the articles be replaced one by one, not all at once.
	c = getBenchCase(50<<10, dispersed)
	r = Diff(context.Background(), c.old, c.new, Options{Budget: time.Nanosecond})
	checkResult(t, c.old, c.new, r)
	if !r.Degraded {
		t.Error("a 1 ns budget did not degrade the dispersed diff")
	}
	equal := 0
	for _, s := range r.Segments {
		if s.Op == OpEqual {
			equal++
		}
	}
	if chapters := strings.Count(c.new, "章 "); equal < chapters/2 {
		t.Errorf("only %d equal segments for %d chapter headings", equal, chapters)
	}
}

func TestCancelledContextDegrades(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	old := "第一条 为了规范网站管理，制定本办法。\n第二条 不变。\n"
	new := "第一条 为了进一步规范网站管理，制定本办法。\n第二条 不变。\n"
	r := Diff(ctx, old, new, Options{})
	checkResult(t, old, new, r)
	if !r.Degraded {
		t.Error("not degraded")
	}
	want := []Segment{seg(OpDelete, "第一条 为了规范网站管理，制定本办法。\n"), seg(OpInsert, "第一条 为了进一步规范网站管理，制定本办法。\n"), seg(OpEqual, "第二条 不变。\n")}
	if !reflect.DeepEqual(r.Segments, want) {
		t.Errorf("segments %q, want %q", r.Segments, want)
	}
	if r.Stats.ParagraphsChanged != 1 {
		t.Errorf("stats %+v", r.Stats)
	}
}

func TestNoBudgetLimit(t *testing.T) {
	c := getBenchCase(2<<10, dispersed)
	r := Diff(context.Background(), c.old, c.new, Options{Budget: -1})
	checkResult(t, c.old, c.new, r)
	if r.Degraded {
		t.Error("degraded without a budget")
	}
}

func TestJSONShape(t *testing.T) {
	r := diff(t, "甲乙丙\n", "甲丁丙\n")
	data, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	if keys := slices.Sorted(maps.Keys(top)); !slices.Equal(keys, []string{"degraded", "segments", "stats"}) {
		t.Fatalf("top-level keys %v", keys)
	}
	var segs []map[string]any
	if err := json.Unmarshal(top["segments"], &segs); err != nil {
		t.Fatal(err)
	}
	want := []map[string]any{{"op": "equal", "text": "甲"}, {"op": "delete", "text": "乙"}, {"op": "insert", "text": "丁"}, {"op": "equal", "text": "丙\n"}}
	if !reflect.DeepEqual(segs, want) {
		t.Errorf("segments %v, want %v", segs, want)
	}
	var stats map[string]any
	if err := json.Unmarshal(top["stats"], &stats); err != nil {
		t.Fatal(err)
	}
	wantStats := map[string]any{"runes_inserted": 1.0, "runes_deleted": 1.0, "paragraphs_changed": 1.0,
		"paragraphs_inserted": 0.0, "paragraphs_deleted": 0.0, "paragraphs_moved": 0.0}
	if !reflect.DeepEqual(stats, wantStats) {
		t.Errorf("stats %v, want %v", stats, wantStats)
	}
	if string(top["degraded"]) != "false" {
		t.Errorf("degraded %s", top["degraded"])
	}
	// No segments is an empty list, not null.
	data, _ = json.Marshal(Diff(context.Background(), "", "", Options{}))
	if !strings.Contains(string(data), `"segments":[]`) {
		t.Errorf("empty diff: %s", data)
	}
}

// Alphabet of the property test and the fuzz seeds: Chinese, punctuation,
// Latin words, digits, emoji (with ZWJ, skin tone, flags), combining marks,
// CRLF and invalid UTF-8.
var pieces = []string{
	"的", "网", "站", "管", "理", "，", "。", "、", "；", "：", "！", "？", "\u3000", " ", "\n", "\r\n", "\r",
	"word", "Wort", "2024", "ä", "e\u0301", "\u0301", "👍", "👍🏽", "👨\u200d👩\u200d👧", "🇨🇳", "🇨", "\u200d",
	"\xff", "\xe4\xb8", "\xed\xa0\x80", "\xc0\xaf", "\u00a0", "（", "）", "“", "”", "\t", "\x00", "\ufffd", "\U000F0001",
}

func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(pieces[rng.IntN(len(pieces))])
	}
	return b.String()
}

func mutate(rng *rand.Rand, s string) string {
	b := []byte(s)
	for k := rng.IntN(8); k > 0; k-- {
		if len(b) == 0 {
			b = append(b, randomText(rng, 3)...)
			continue
		}
		i := rng.IntN(len(b) + 1)
		switch rng.IntN(4) {
		case 0:
			b = slices.Insert(b, i, []byte(randomText(rng, 1+rng.IntN(4)))...)
		case 1:
			j := min(len(b), i+rng.IntN(6))
			b = slices.Delete(b, i, j)
		case 2:
			if i < len(b) {
				b[i] = byte(rng.IntN(256))
			}
		case 3: // move a line
			lines := strings.SplitAfter(string(b), "\n")
			if len(lines) > 2 {
				x, y := rng.IntN(len(lines)), rng.IntN(len(lines))
				lines[x], lines[y] = lines[y], lines[x]
				b = []byte(strings.Join(lines, ""))
			}
		}
	}
	return string(b)
}

func TestExactnessProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 42))
	for i := 0; i < 3000; i++ {
		old := randomText(rng, rng.IntN(60))
		new := mutate(rng, old)
		if rng.IntN(10) == 0 {
			new = randomText(rng, rng.IntN(60))
		}
		opts := Options{}
		if i%7 == 0 {
			opts.Budget = time.Nanosecond
		}
		r := Diff(context.Background(), old, new, opts)
		checkResult(t, old, new, r)
		checkAlignment(t, r)
	}
}

// TestSafeBoundary checks the shortcut used to skip the common prefix and
// suffix of two units: wherever safeBoundary says a token starts, the
// tokenizer run over the whole unit starts one there.
func TestSafeBoundary(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	d := newDiffer(context.Background(), "", "", 0)
	for i := 0; i < 3000; i++ {
		text := randomText(rng, rng.IntN(30))
		starts, _, _ := d.tokens(text, span{0, len(text)}, nil, nil)
		for x := 0; x <= len(text); x++ {
			if safeBoundary(text, 0, x, len(text)) && !slices.Contains(starts, x) {
				t.Fatalf("safeBoundary(%q, %d) but tokens start at %v", text, x, starts)
			}
		}
	}
}

func TestTokens(t *testing.T) {
	d := newDiffer(context.Background(), "", "", 0)
	text := "Hello, 世界 2024年\r\n👨\u200d👩\u200d👧🇨🇳e\u0301t\xff!"
	starts, ids, ok := d.tokens(text, span{0, len(text)}, nil, nil)
	if !ok {
		t.Fatal("dictionary full")
	}
	var got []string
	for k := 0; k+1 < len(starts); k++ {
		got = append(got, text[starts[k]:starts[k+1]])
	}
	want := []string{"Hello", ",", " ", "世", "界", " ", "2024", "年", "\r\n", "👨\u200d👩\u200d👧", "🇨🇳", "e\u0301t", "\xff", "!"}
	if !slices.Equal(got, want) {
		t.Errorf("tokens %q, want %q", got, want)
	}
	if len(ids) != len(want) {
		t.Fatalf("%d ids for %d tokens", len(ids), len(want))
	}
	if ids[3] != '世' || ids[0] < tokenIDBase || ids[12] < tokenIDBase {
		t.Errorf("ids %x", ids)
	}
}

func TestSplitSentences(t *testing.T) {
	text := "第一条 为了规范管理。“这是引语。”他说！真的吗？是的；好… End. Next\n"
	var got []string
	for _, s := range splitSentences(text, span{0, len(text)}, nil) {
		got = append(got, text[s.start:s.end])
	}
	want := []string{"第一条 为了规范管理。", "“这是引语。”", "他说！", "真的吗？", "是的；", "好… ", "End. ", "Next\n"}
	if !slices.Equal(got, want) {
		t.Errorf("sentences %q, want %q", got, want)
	}
}
