package textdiff

import (
	"context"
	"io"
	"testing"
	"time"
)

// FuzzDiff checks on any pair of texts that Diff does not panic, that the
// segments rebuild both texts byte for byte (with the default budget and
// with a budget too small to finish), that the side-by-side rows hold both
// texts, that the readable form can be written, and that the token
// boundaries assumed when skipping common prefixes hold.
//
//	go test ./review/textdiff -run '^$' -fuzz FuzzDiff -fuzztime 10m
func FuzzDiff(f *testing.F) {
	seeds := [][2]string{
		{"第一条 为了规范网站管理，制定本办法。\n第二条 本办法适用于委网站。\n", "第一条 为了进一步规范门户网站管理，制定本办法。\n第三条 新增。\n第二条 本办法适用于委网站。\n"},
		{"办公室负责统筹；各处室负责维护。", "办公室负责统筹、协调；各处室　负责维护！"},
		{"The quick brown fox.", "The quick red fox, 2024."},
		{"表情👍🏽与家庭👨\u200d👩\u200d👧和旗帜🇨🇳", "表情👍与家庭👨\u200d👩和旗帜🇨🇳🇺🇸"},
		{"cafe\u0301 na\u0308ive", "café naïve"},
		{"行一\r\n行二\r\n行三", "行一\n行二\r\n行三\r\n"},
		{"无效\xff字节\xe4\xb8", "无效\xfe字节\xe4\xb8\xad"},
		{"\xed\xa0\x80\xc0\xaf", "\xed\xa0\x81"},
		{"", "新"},
		{"旧", ""},
		{"\U000F0001\U0010FFFD", "\U000F0002"},
	}
	for i, s := range seeds {
		f.Add(s[0], s[1], i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, old, new string, tiny bool) {
		opts := Options{}
		if tiny {
			opts.Budget = time.Nanosecond
		}
		r := Diff(context.Background(), old, new, opts)
		checkResult(t, old, new, r)
		checkAlignment(t, r)
		if err := WriteText(io.Discard, r, TextOptions{Color: tiny, Context: 1}); err != nil {
			t.Fatal(err)
		}
		d := newDiffer(context.Background(), "", "", 0)
		starts, _, _ := d.tokens(old, span{0, len(old)}, nil, nil)
		isStart := make([]bool, len(old)+1)
		for _, x := range starts {
			isStart[x] = true
		}
		for x := 0; x <= len(old); x++ {
			if safeBoundary(old, 0, x, len(old)) && !isStart[x] {
				t.Fatalf("safeBoundary(%q, %d) but tokens start at %v", old, x, starts)
			}
		}
	})
}
