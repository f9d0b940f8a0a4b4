package spell

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

func mustDefault(t testing.TB) *Detector {
	t.Helper()
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// hitAt returns the hit covering rune offset p, if any.
func hitAt(hits []Hit, p int) (Hit, bool) {
	for _, h := range hits {
		if h.Start <= p && p < h.End {
			return h, true
		}
	}
	return Hit{}, false
}

func TestCheckFindsTypos(t *testing.T) {
	d := mustDefault(t)
	for _, tc := range []struct {
		text       string
		wrong      string // the flagged text
		suggestion string
	}{
		{"要认真布署落实各项工作。", "布", "部"},
		{"结合实际工作须要制定方案。", "须", "需"},
		{"坚持依法行政的基本原责。", "责", "则"},
		{"推进政务公开标准化归范化建设。", "归", "规"},
		{"建立农药包装发弃物等回收和集中处理体系。", "发", "废"},
		{"各地要加强对经营著的监督管理。", "著", "者"},
		{"加快人力自愿服务机构建设。", "自愿", "资源"},
		{"改革优化营商环竟若干措施", "竟", "境"},
		{"现就有关事象通知如下。", "象", "项"},
		{"确保国家粮食安权。", "权", "全"},
		{"依法查处无证经营、超范围经营等违法违规形为。", "形", "行"},
	} {
		hits := d.Check(tc.text)
		at := strings.Index(tc.text, tc.wrong)
		p := utf8.RuneCountInString(tc.text[:at])
		h, ok := hitAt(hits, p)
		if !ok {
			t.Errorf("%s: %q not flagged (hits %+v)", tc.text, tc.wrong, hits)
			continue
		}
		if h.Wrong != tc.wrong || h.Suggestion != tc.suggestion {
			t.Errorf("%s: got %q→%q, want %q→%q", tc.text, h.Wrong, h.Suggestion, tc.wrong, tc.suggestion)
		}
		if got := string([]rune(tc.text)[h.Start:h.End]); got != h.Wrong {
			t.Errorf("%s: hit [%d,%d) covers %q, Wrong says %q", tc.text, h.Start, h.End, got, h.Wrong)
		}
		if h.Score <= 0 || h.Score > 1 {
			t.Errorf("%s: score %v outside (0, 1]", tc.text, h.Score)
		}
	}
}

func TestCheckLeavesCorrectTextAlone(t *testing.T) {
	d := mustDefault(t)
	for _, text := range []string{
		"完善检验检测体系，加强检验检测公共服务平台建设。",
		"医疗器械使用单位之间转让在用医疗器械，转让方应当确保所转让的医疗器械安全、有效。",
		"各地区、各部门要结合实际认真贯彻落实。",
		"中华人民共和国国务院办公厅关于印发国家突发公共事件总体应急预案的通知",
		"加快污水收集管网建设，推进再生水回用设施建设。",
		"市民可通过12345政务服务便民热线反映诉求，也可登录“津心办”客户端在线办理。",
		"今年以来，全市规模以上工业增加值同比增长5.2%，固定资产投资增长3.1%。",
		"会议强调，要坚持以人民为中心的发展思想，切实解决群众急难愁盼问题。",
		"防汛期间，各单位要严格执行24小时值班和领导带班制度，确保信息畅通。",
		"他的发言引起了与会代表的强烈共鸣，会场响起热烈掌声。",
	} {
		if hits := d.Check(text); len(hits) > 0 {
			t.Errorf("%s: unexpected hits %+v", text, hits)
		}
	}
}

func TestCheckOffsetsInMixedText(t *testing.T) {
	d := mustDefault(t)
	text := "Version 2.0 说明：推进标准化归范化建设 (see §3)。"
	hits := d.Check(text)
	runes := []rune(text)
	if len(hits) != 1 {
		t.Fatalf("want one hit, got %+v", hits)
	}
	h := hits[0]
	if string(runes[h.Start:h.End]) != "归" || h.Suggestion != "规" {
		t.Errorf("hit %+v does not point at 归", h)
	}
}

func TestCheckAnyInput(t *testing.T) {
	d := mustDefault(t)
	for _, text := range []string{
		"",
		"plain ASCII only, nothing to check",
		"\xff\xfe推进归\x80范化建设",
		"检",
		strings.Repeat("\xe6", 100),
		"🙂推进标准化归范化建设🙂",
	} {
		n := utf8.RuneCountInString(text)
		for _, h := range d.Check(text) {
			if h.Start < 0 || h.End > n || h.Start >= h.End {
				t.Errorf("%q: hit %+v outside [0, %d)", text, h, n)
			}
			if got := string([]rune(text)[h.Start:h.End]); got != h.Wrong {
				t.Errorf("%q: hit covers %q, Wrong says %q", text, got, h.Wrong)
			}
			if utf8.RuneCountInString(h.Suggestion) != h.End-h.Start {
				t.Errorf("%q: suggestion %q is not as long as the hit", text, h.Suggestion)
			}
		}
	}
	// Invalid bytes count as one rune each, like []rune does.
	hits := d.Check("\xff\xfe推进标准化归范化建设")
	if h, ok := hitAt(hits, 7); !ok || h.Wrong != "归" {
		t.Errorf("after two invalid bytes, want 归 at rune 7, got %+v", hits)
	}
}

func TestCheckLongTextWithoutPunctuation(t *testing.T) {
	d := mustDefault(t)
	unit := "完善检验检测体系加强检验检测公共服务平台建设"
	text := strings.Repeat(unit, 1000) + "推进标准化归范化建设"
	hits := d.Check(text)
	if len(hits) != 1 || hits[0].Start != 1000*utf8.RuneCountInString(unit)+5 {
		t.Errorf("want one hit at the end, got %d hits, first %+v", len(hits), hits[:min(len(hits), 1)])
	}
}

func TestDefaultIsShared(t *testing.T) {
	a, b := mustDefault(t), mustDefault(t)
	if a != b {
		t.Error("Default built two detectors")
	}
}

// FuzzCheck holds Check to its contract on any input: hits inside the text,
// in order, not overlapping, Wrong equal to the covered runes, a suggestion
// as long and different.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{"", "推进标准化归范化建设", "\xff\xfe推进归\x80范化", "要认真布署落实各项工作。", "a b c 中", "𠀀𠀁𠀂归范化"} {
		f.Add(s)
	}
	d, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		runes := []rune(text)
		end := 0
		for _, h := range d.Check(text) {
			if h.Start < end || h.End <= h.Start || h.End > len(runes) {
				t.Fatalf("hit %+v out of order or outside [0, %d)", h, len(runes))
			}
			end = h.End
			if got := string(runes[h.Start:h.End]); got != h.Wrong {
				t.Fatalf("hit %+v covers %q", h, got)
			}
			if utf8.RuneCountInString(h.Suggestion) != h.End-h.Start || h.Suggestion == h.Wrong {
				t.Fatalf("hit %+v: bad suggestion", h)
			}
			if !(h.Score > 0 && h.Score <= 1) {
				t.Fatalf("hit %+v: score outside (0, 1]", h)
			}
		}
	})
}

func TestCheckConcurrent(t *testing.T) {
	d := mustDefault(t)
	texts := []string{"推进政务公开标准化归范化建设。", "要认真布署落实各项工作。", "各地区、各部门要结合实际认真贯彻落实。"}
	want := make([][]Hit, len(texts))
	for i, s := range texts {
		want[i] = d.Check(s)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Go(func() {
			for n := 0; n < 50; n++ {
				i := (g + n) % len(texts)
				if got := d.Check(texts[i]); !slices.Equal(got, want[i]) {
					t.Errorf("%s: concurrent Check gave %+v, want %+v", texts[i], got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}
