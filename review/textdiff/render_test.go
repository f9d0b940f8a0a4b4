package textdiff

import (
	"strings"
	"testing"
)

func TestWriteTextPlain(t *testing.T) {
	old := "第一条 总则。\n第二条 删除的条款。\n第三条 办公室负责统筹。\n"
	new := "第一条 总则。\n第三条 办公室负责统筹规划。\n"
	var b strings.Builder
	if err := WriteText(&b, diff(t, old, new), TextOptions{Context: -1}); err != nil {
		t.Fatal(err)
	}
	want := "第一条 总则。\n" +
		"[-第二条 删除的条款。↵-]\n" +
		"第三条 办公室负责统筹{+规划+}。\n" +
		"插入 2 字，删除 11 字；段落：修改 1，新增 0，删除 1，移动 0。\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteTextContextAndColour(t *testing.T) {
	arts := articles(20)
	old := strings.Join(arts, "")
	edited := append([]string(nil), arts...)
	edited[10] = strings.Replace(edited[10], "，", "，\x1b[2J", 1)
	var b strings.Builder
	if err := WriteText(&b, diff(t, old, strings.Join(edited, "")), TextOptions{Color: true, Context: 1, English: true}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 5 {
		t.Fatalf("want a header, 3 lines and the summary, got %d lines:\n%s", len(lines), out)
	}
	if lines[0] != ansiHeader+"@@ -10 +10 @@"+ansiReset {
		t.Errorf("header %q", lines[0])
	}
	if !strings.Contains(lines[2], ansiInsert+"^[[2J"+ansiReset) {
		t.Errorf("changed line %q: want the insertion in green with the escape shown as ^[", lines[2])
	}
	if strings.Contains(out, "\x1b[2J") {
		t.Error("a control sequence from the document reached the output")
	}
	if !strings.HasPrefix(lines[4], "4 characters inserted, 0 deleted; paragraphs: 1 changed") {
		t.Errorf("summary %q", lines[4])
	}
}

func TestWriteTextIdentical(t *testing.T) {
	var b strings.Builder
	if err := WriteText(&b, diff(t, "同\n", "同\n"), TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if b.String() != "两个版本相同。\n" {
		t.Errorf("got %q", b.String())
	}
}
