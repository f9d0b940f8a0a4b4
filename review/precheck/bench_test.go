package precheck

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"sanshen/review"
)

// sampleDocument is an official-document-like text with a few problems.
const sampleDocument = `市城市管理委员会关于开展2026年度燃气安全隐患排查整治的通知
津城管办〔2026〕58号
各区城市管理委，委属各单位：
为深入贯彻落实《中华人民共和国安全生产法》和《城镇燃气管理条例》，切实加强我市燃气安全管理，有效防范化解燃气安全风险，经研究，决定在全市范围内开展燃气安全隐患排查整治工作。现将有关事项通知如下。
一、工作目标
以餐饮等公共场所、老旧小区、燃气管道设施为重点，全面排查整治燃气安全隐患，既使遇到困难也要按装到位，确保隐患整改率达到100%。
二、工作要求
（一）加强组织领导。各单位要成立工作专班，明确责任分工，联系人手机13812345678。
（二）强化督导检查。市城市管理委将适时组织督导检查，对工作不力的单位予以通报。
`

// synthPatterns returns n distinct strings of 2–6 common CJK characters.
func synthPatterns(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	var out []string
	for len(out) < n {
		var sb strings.Builder
		for range 2 + rng.IntN(5) {
			sb.WriteRune(rune(0x4E00 + rng.IntN(3500)*5))
		}
		if p := sb.String(); !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// BenchmarkNew measures building a Checker from the embedded lists (without
// the spelling detector, which loads once per process).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := New(Options{NoSpell: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew100kTypos measures building a Checker whose typo list has
// 100,000 more entries from an override file, and the heap it keeps.
func BenchmarkNew100kTypos(b *testing.B) {
	var sb strings.Builder
	for _, p := range synthPatterns(100_000) {
		fmt.Fprintf(&sb, "%s\t正确\n", p)
	}
	over := fstest.MapFS{FileTypos: {Data: []byte(sb.String())}}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var c *Checker
	for b.Loop() {
		var err error
		if c, err = New(Options{NoSpell: true, Override: over}); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "heap-MiB")
	runtime.KeepAlive(c)
}

// BenchmarkCheck runs every offline check but spelling on a 1 MB document
// made of sampleDocument, with the embedded lists.
func BenchmarkCheck(b *testing.B) {
	c, err := New(Options{NoSpell: true})
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Repeat(sampleDocument, (1<<20)/len(sampleDocument))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(c.Check(text, review.ContentPlain)) == 0 {
			b.Fatal("no findings")
		}
	}
}

// BenchmarkCheckWithSpelling is BenchmarkCheck on one sample document
// (1.2 KB) with the spelling detector.
func BenchmarkCheckWithSpelling(b *testing.B) {
	c, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(sampleDocument)))
	for b.Loop() {
		c.Check(sampleDocument, review.ContentPlain)
	}
}
