package precheck

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExtractHTML(t *testing.T) {
	src := `<!DOCTYPE html><html><head><title>页面标题</title>
<style>body { color: red }</style><script>document.write("机密★1年")</script></head>
<body>
<h1>关于  开展
检查的通知</h1>
<p>各单位：<br>请访问 <a href="https://csgl.tj.gov.cn/a?x=1&amp;y=2">委网站</a>，查看<a href="/b.html"><b>附件</b>一</a>。</p>
<noscript>请启用脚本</noscript>
<table><tr><td>姓名</td><td>电话</td></tr></table>
<img src="pic.png" alt="现场照片">
<pre>第一行
  第二行</pre>
<p>&lt;script&gt;alert(1)&lt;/script&gt; 是文字</p>
</body></html>`
	doc := ExtractHTML(src)
	want := "关于 开展检查的通知\n各单位：\n请访问 委网站，查看附件一。\n姓名\t电话\n【图片：现场照片】\n第一行\n  第二行\n<script>alert(1)</script> 是文字"
	if doc.Text != want {
		t.Fatalf("text:\n%q\nwant\n%q", doc.Text, want)
	}
	for _, bad := range []string{"机密", "color", "页面标题", "请启用脚本"} {
		if strings.Contains(doc.Text, bad) {
			t.Errorf("dropped content %q shown", bad)
		}
	}
	runes := []rune(doc.Text)
	var got []string
	for _, l := range doc.Links {
		got = append(got, l.Kind+" "+l.URL+" "+string(runes[l.Start:l.End]))
	}
	wantLinks := []string{"a https://csgl.tj.gov.cn/a?x=1&y=2 委网站", "a /b.html 附件一", "img pic.png 【图片：现场照片】"}
	if !slices.Equal(got, wantLinks) {
		t.Errorf("links %q, want %q", got, wantLinks)
	}
	for _, sp := range doc.Spans {
		if sp.Start >= sp.End || sp.End > len(runes) || sp.SourceStart >= sp.SourceEnd || sp.SourceEnd > len(src) {
			t.Errorf("bad span %+v", sp)
		}
	}
	// The span of 委网站 points at its source.
	i := slices.IndexFunc(doc.Spans, func(s Span) bool { return string(runes[s.Start:s.End]) == "委网站" })
	if i < 0 || src[doc.Spans[i].SourceStart:doc.Spans[i].SourceEnd] != "委网站" {
		t.Errorf("no span maps 委网站 to its source: %+v", doc.Spans)
	}
}

func TestExtractHTMLMalformed(t *testing.T) {
	for _, src := range []string{
		"",
		"<p>未闭合的段落<a href='x'>链接",
		"<script>while(1){}",
		"<<<>>>&&&;<p",
		"<p>\xff\xfe无效字节</p>",
		strings.Repeat("<div>", 10000) + "深" + strings.Repeat("</div>", 10000),
	} {
		doc := ExtractHTML(src)
		n := utf8.RuneCountInString(doc.Text)
		for _, l := range doc.Links {
			if l.Start < 0 || l.Start > l.End || l.End > n {
				t.Errorf("%.30q: bad link %+v (text %d runes)", src, l, n)
			}
		}
	}
	if doc := ExtractHTML("<p>未闭合的段落<a href='x'>链接"); doc.Text != "未闭合的段落链接" || len(doc.Links) != 1 || doc.Links[0].Start != 6 || doc.Links[0].End != 8 {
		t.Errorf("unclosed link: %+v", doc)
	}
	if doc := ExtractHTML("<script>while(1){}"); doc.Text != "" {
		t.Errorf("unclosed script shown: %q", doc.Text)
	}
}

func TestExtractPlain(t *testing.T) {
	body := "<p>不是 HTML</p>"
	if doc := Extract(body, "text/plain"); doc.Text != body || doc.Links != nil {
		t.Errorf("plain text changed: %+v", doc)
	}
	for ct, want := range map[string]bool{"text/html": true, "Text/HTML; charset=utf-8": true, "application/xhtml+xml": true, "text/plain": false, "": false} {
		if IsHTML(ct) != want {
			t.Errorf("IsHTML(%q) = %v", ct, !want)
		}
	}
}

// TestCheckHTMLOffsets checks that findings on HTML count runes of the
// extracted text and that script content is never checked.
func TestCheckHTMLOffsets(t *testing.T) {
	c := checker(t)
	doc, fs := c.CheckBody(`<p>第一段<script>var a="按装";</script></p><p>请<b>按装</b>设备</p>`, "text/html")
	if doc.Text != "第一段\n请按装设备" {
		t.Fatalf("text %q", doc.Text)
	}
	if len(fs) != 1 || fs[0].Rule != RuleTypo || fs[0].Start != 5 || fs[0].End != 7 {
		t.Fatalf("findings %+v", fs)
	}
}
