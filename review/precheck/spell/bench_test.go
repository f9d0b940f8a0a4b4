package spell

import (
	"io/fs"
	"strings"
	"testing"

	"sanshen/assets"
)

// sampleText is about 1 KB of official-document prose with two typos.
var sampleText = func() string {
	const para = "各地区、各部门要深入贯彻落实党中央、国务院决策部署，坚持稳中求进工作总基调，" +
		"完整、准确、全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展。" +
		"要进一步加强监督检查，确保各项政策措施落到实处。推进政务公开标准化归范化建设，" +
		"结合实际工作须要制定具体实施方案，明确责任分工和时间节点，"
	s := para
	for len(s) < 1024 {
		s += para
	}
	return s[:strings.LastIndex(s[:1024], "，")+len("，")]
}()

func BenchmarkLoad(b *testing.B) {
	sub, err := fs.Sub(assets.Spell, "spell")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(sub); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCheck1KB(b *testing.B) {
	d, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	if len(d.Check(sampleText)) == 0 {
		b.Fatal("the sample's typos were not found")
	}
	b.SetBytes(int64(len(sampleText)))
	b.ReportAllocs()
	for b.Loop() {
		d.Check(sampleText)
	}
}
