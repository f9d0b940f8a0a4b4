package textdiff_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"sanshen/review/textdiff"
)

func ExampleDiff() {
	old := "第一条 为了规范网站管理，制定本办法。\n第二条 本办法适用于委网站。\n"
	new := "第一条 为了进一步规范网站管理，制定本办法。\n第二条 本办法适用于委网站。\n"
	r := textdiff.Diff(context.Background(), old, new, textdiff.Options{})
	for _, s := range r.Segments {
		fmt.Printf("%s %q\n", s.Op, s.Text)
	}
	fmt.Printf("%+v\n", r.Stats)
	// Output:
	// equal "第一条 为了"
	// insert "进一步"
	// equal "规范网站管理，制定本办法。\n第二条 本办法适用于委网站。\n"
	// {RunesInserted:3 RunesDeleted:0 ParagraphsChanged:1 ParagraphsInserted:0 ParagraphsDeleted:0 ParagraphsMoved:0}
}

func ExampleResult_json() {
	r := textdiff.Diff(context.Background(), "甲乙丙", "甲丁丙", textdiff.Options{})
	data, _ := json.Marshal(r)
	fmt.Println(string(data))
	// Output:
	// {"segments":[{"op":"equal","text":"甲"},{"op":"delete","text":"乙"},{"op":"insert","text":"丁"},{"op":"equal","text":"丙"}],"degraded":false,"stats":{"runes_inserted":1,"runes_deleted":1,"paragraphs_changed":1,"paragraphs_inserted":0,"paragraphs_deleted":0,"paragraphs_moved":0}}
}

func ExampleWriteText() {
	old := "第一条 总则。\n第二条 删除的条款。\n第三条 办公室负责统筹。\n"
	new := "第一条 总则。\n第三条 办公室负责统筹规划。\n"
	r := textdiff.Diff(context.Background(), old, new, textdiff.Options{})
	textdiff.WriteText(os.Stdout, r, textdiff.TextOptions{Context: -1, English: true})
	// Output:
	// 第一条 总则。
	// [-第二条 删除的条款。↵-]
	// 第三条 办公室负责统筹{+规划+}。
	// 2 characters inserted, 11 deleted; paragraphs: 1 changed, 0 inserted, 1 deleted, 0 moved.
}

func ExampleResult_SideBySide() {
	old := "第一条 总则。\n第二条 删除的条款。\n第三条 办公室负责统筹。\n"
	new := "第一条 总则。\n第三条 办公室负责统筹规划。\n"
	r := textdiff.Diff(context.Background(), old, new, textdiff.Options{})
	for i, row := range r.SideBySide() {
		left, right := "", ""
		if row.Left != nil {
			left = row.Left.Text()
		}
		if row.Right != nil {
			right = row.Right.Text()
		}
		fmt.Printf("%d %-8s [%s] [%s]\n", i, row.Kind, left, right)
	}
	for _, c := range r.Changes() {
		fmt.Printf("change at row %d, old byte %d, new byte %d\n", c.Row, c.Old, c.New)
	}
	// Output:
	// 0 equal    [第一条 总则。] [第一条 总则。]
	// 1 deleted  [第二条 删除的条款。] []
	// 2 changed  [第三条 办公室负责统筹。] [第三条 办公室负责统筹规划。]
	// change at row 1, old byte 20, new byte 20
	// change at row 2, old byte 80, new byte 51
}
