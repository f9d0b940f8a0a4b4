package textdiff

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// TextOptions shape the readable form written by WriteText.
type TextOptions struct {
	// Color marks changes with ANSI colours (deletions red, insertions
	// green, moved paragraphs magenta and cyan) instead of [-…-] and {+…+}.
	Color bool
	// Context is the number of unchanged lines kept around each change;
	// the others are left out and each group of lines is headed
	// "@@ -OLD +NEW @@" with its first line numbers. Negative: the whole text.
	Context int
	// English writes the summary line in English instead of Chinese.
	English bool
}

// ANSI colours of WriteText.
const (
	ansiReset      = "\x1b[0m"
	ansiDelete     = "\x1b[31m"
	ansiInsert     = "\x1b[32m"
	ansiMoveDelete = "\x1b[35m"
	ansiMoveInsert = "\x1b[36m"
	ansiHeader     = "\x1b[36m"
)

// printedLine is one line of the readable form.
type printedLine struct {
	text           string
	changed        bool
	oldNum, newNum int // line numbers where the line starts
}

// WriteText writes r in a readable form: the new text with deletions and
// insertions marked inline, [-deleted-] and {+inserted+} (or in colour), a
// changed line break shown as ↵, and a summary line. It is meant for people:
// control characters and invalid UTF-8 are shown as ^X and U+FFFD, and a
// CR before a line break is dropped. Use the segments for the exact texts.
func WriteText(w io.Writer, r *Result, opts TextOptions) error {
	lines := printLines(r, opts.Color)
	bw := bufio.NewWriter(w)
	if opts.Context < 0 {
		for _, l := range lines {
			bw.WriteString(l.text)
			bw.WriteByte('\n')
		}
	} else {
		keep := make([]bool, len(lines))
		for i, l := range lines {
			if l.changed {
				for k := max(0, i-opts.Context); k <= min(len(lines)-1, i+opts.Context); k++ {
					keep[k] = true
				}
			}
		}
		for i := 0; i < len(lines); i++ {
			if !keep[i] {
				continue
			}
			header := fmt.Sprintf("@@ -%d +%d @@", lines[i].oldNum, lines[i].newNum)
			if opts.Color {
				header = ansiHeader + header + ansiReset
			}
			bw.WriteString(header + "\n")
			for ; i < len(lines) && keep[i]; i++ {
				bw.WriteString(lines[i].text)
				bw.WriteByte('\n')
			}
		}
	}
	bw.WriteString(summary(r, opts.English))
	bw.WriteByte('\n')
	return bw.Flush()
}

// printLines renders the segments inline and cuts them into lines.
func printLines(r *Result, color bool) []printedLine {
	var lines []printedLine
	var b strings.Builder
	cur := printedLine{oldNum: 1, newNum: 1}
	oldNum, newNum := 1, 1
	endLine := func() {
		cur.text = b.String()
		lines = append(lines, cur)
		b.Reset()
		cur = printedLine{oldNum: oldNum, newNum: newNum}
	}
	for _, s := range r.Segments {
		open, shut := "", ""
		switch {
		case s.Op == OpDelete && color:
			open, shut = ansiDelete, ansiReset
			if s.Move != 0 {
				open = ansiMoveDelete
			}
		case s.Op == OpInsert && color:
			open, shut = ansiInsert, ansiReset
			if s.Move != 0 {
				open = ansiMoveInsert
			}
		case s.Op == OpDelete:
			open, shut = "[-", "-]"
		case s.Op == OpInsert:
			open, shut = "{+", "+}"
		}
		text := s.Text
		for text != "" {
			part, rest, hasBreak := strings.Cut(text, "\n")
			text = rest
			if hasBreak {
				part = strings.TrimSuffix(part, "\r")
			}
			if s.Op != OpEqual {
				cur.changed = true
				if part != "" || hasBreak {
					b.WriteString(open)
					writeVisible(&b, part)
					if hasBreak {
						b.WriteString("↵")
					}
					b.WriteString(shut)
				}
			} else {
				writeVisible(&b, part)
			}
			if !hasBreak {
				break
			}
			if s.Op != OpInsert {
				oldNum++
			}
			if s.Op != OpDelete {
				newNum++
			}
			endLine()
		}
	}
	if b.Len() > 0 || cur.changed {
		endLine()
	}
	return lines
}

// writeVisible writes s with control characters as ^X and invalid UTF-8 as
// U+FFFD, so that a document cannot drive the terminal.
func writeVisible(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7F || c == '\t' {
			b.WriteByte(c)
			i++
			continue
		}
		if c < 0x20 || c == 0x7F {
			b.WriteByte('^')
			b.WriteByte(c ^ 0x40)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1, 0x80 <= r && r < 0xA0:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
}

// summary is the last line of the readable form.
func summary(r *Result, english bool) string {
	st := r.Stats
	var s string
	switch {
	case r.Identical() && english:
		s = "The two versions are identical."
	case r.Identical():
		s = "两个版本相同。"
	case english:
		s = fmt.Sprintf("%d characters inserted, %d deleted; paragraphs: %d changed, %d inserted, %d deleted, %d moved.",
			st.RunesInserted, st.RunesDeleted, st.ParagraphsChanged, st.ParagraphsInserted, st.ParagraphsDeleted, st.ParagraphsMoved)
	default:
		s = fmt.Sprintf("插入 %d 字，删除 %d 字；段落：修改 %d，新增 %d，删除 %d，移动 %d。",
			st.RunesInserted, st.RunesDeleted, st.ParagraphsChanged, st.ParagraphsInserted, st.ParagraphsDeleted, st.ParagraphsMoved)
	}
	if r.Degraded {
		if english {
			s += " (The time budget ran out: some changes are shown by whole sentence or paragraph.)"
		} else {
			s += "（比较超时，部分改动按整句或整段显示。）"
		}
	}
	return s
}
