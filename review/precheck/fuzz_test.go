package precheck

import (
	"testing"
	"unicode/utf8"
)

// FuzzCheck checks that any input, HTML or not, valid UTF-8 or not, gives
// findings inside the text the reviewer sees, each excerpt equal to its
// range.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"机密★1年 身份证号120101199001011239，手机138-1234-5678。",
		"<p>请<a href='x'>按装</a>(一)《通知</p><script>x</script>",
		"二0二四年\xff\xfe我们的的,工作...。。",
		"津政办发[2017]第01号 根据中华人民共和国安全生产法",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	c := checker(f)
	f.Fuzz(func(t *testing.T, body string, html bool) {
		ct := "text/plain"
		if html {
			ct = "text/html"
		}
		doc, findings := c.CheckBody(body, ct)
		runes := []rune(doc.Text)
		for _, fd := range findings {
			if fd.Start < 0 || fd.Start >= fd.End || fd.End > len(runes) {
				t.Fatalf("finding %+v outside the text (%d runes)", fd, len(runes))
			}
			if got := string(runes[fd.Start:fd.End]); got != fd.Excerpt && utf8.ValidString(fd.Excerpt) {
				t.Fatalf("excerpt %q, text %q", fd.Excerpt, got)
			}
		}
		for _, l := range doc.Links {
			if l.Start < 0 || l.Start > l.End || l.End > len(runes) {
				t.Fatalf("link %+v outside the text", l)
			}
		}
	})
}
