package precheck

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Document is the text a reviewer sees in a version body, with the links it
// holds. For plain text Text is the body itself; for HTML it is the body
// reduced to paragraphs and link texts, with scripts and styles dropped
// (their content is never run, nor shown).
type Document struct {
	Text  string
	Links []Link
	// Spans maps runs of Text back to the HTML source, in order; nil for
	// plain text.
	Spans []Span
}

// Link is a hyperlink or an embedded resource of an HTML body.
type Link struct {
	URL  string `json:"url"`  // as written in the href or src attribute, trimmed
	Kind string `json:"kind"` // the element: "a", "img", "iframe", …
	// Start and End are the rune range in Document.Text of the link's text
	// (or of the image's placeholder), half-open.
	Start int `json:"start"`
	End   int `json:"end"`
}

// Span says that runes [Start, End) of Document.Text come from bytes
// [SourceStart, SourceEnd) of the HTML source.
type Span struct {
	Start, End             int
	SourceStart, SourceEnd int
}

// IsHTML reports whether contentType names HTML.
func IsHTML(contentType string) bool {
	ct := strings.ToLower(strings.TrimSpace(contentType))
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = strings.TrimSpace(ct[:i])
	}
	return ct == "text/html" || ct == "application/xhtml+xml"
}

// Extract returns the document a reviewer sees in body: ExtractHTML for an
// HTML content type, the body as it is otherwise.
func Extract(body, contentType string) Document {
	if IsHTML(contentType) {
		return ExtractHTML(body)
	}
	return Document{Text: body}
}

// Elements whose content is dropped: never shown, never run.
var droppedElements = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "head": true,
	"title": true, "object": true, "svg": true, "math": true, "select": true,
}

// Elements that start a new line.
var blockElements = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "table": true,
	"section": true, "article": true, "header": true, "footer": true, "blockquote": true, "pre": true,
	"hr": true, "figure": true, "figcaption": true, "address": true, "nav": true, "aside": true,
	"main": true, "form": true, "fieldset": true, "caption": true, "center": true, "body": true, "html": true,
}

// Attributes that hold a link, per element.
var linkAttrs = map[string]string{
	"a": "href", "area": "href", "img": "src", "iframe": "src", "embed": "src",
	"video": "src", "audio": "src", "source": "src",
}

// textBuilder writes the extracted text, collapsing white space as a browser
// does and counting runes.
type textBuilder struct {
	sb       strings.Builder
	runes    int
	last     rune  // last rune written, 0 at the start
	space    bool  // white space is pending
	newline  bool  // the pending white space held a line break
	openLink []int // indexes in doc.Links of the <a> elements open, innermost last
	doc      *Document
	// tokenStart is the offset of the first rune the current text token
	// wrote (white space carried over from before excluded), -1 for none.
	tokenStart int
}

func (b *textBuilder) writeRune(r rune) {
	if b.tokenStart < 0 {
		b.tokenStart = b.runes
	}
	b.sb.WriteRune(r)
	b.runes++
	b.last = r
}

// writeText appends text. In pre, white space is kept.
func (b *textBuilder) writeText(s string, pre bool) {
	for i := 0; i < len(s); {
		r, w := utf8.DecodeRuneInString(s[i:])
		if w == 1 && r == utf8.RuneError {
			// Keep invalid bytes as they are: the text checks report them.
			b.flushSpace(r)
			b.startLinks()
			if b.tokenStart < 0 {
				b.tokenStart = b.runes
			}
			b.sb.WriteByte(s[i])
			b.runes++
			b.last = r
			i++
			continue
		}
		i += w
		if pre && (r == '\n' || r == '\t' || r == ' ') {
			if r == '\n' {
				b.lineBreak()
			} else {
				b.flushSpace(r)
				b.writeRune(r)
			}
			continue
		}
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' {
			b.space = true
			if r == '\n' || r == '\r' {
				b.newline = true
			}
			continue
		}
		b.flushSpace(r)
		b.startLinks()
		b.writeRune(r)
	}
}

// flushSpace writes the pending white space before r, if a browser would
// show it: not at the start of a line, and not for a line break between two
// CJK characters.
func (b *textBuilder) flushSpace(next rune) {
	if !b.space {
		return
	}
	show := b.last != 0 && b.last != '\n' && b.last != '\t' && !(b.newline && isCJK(b.last) && isCJK(next))
	b.space, b.newline = false, false
	if show {
		b.sb.WriteByte(' ')
		b.runes++
		b.last = ' '
	}
}

// lineBreak ends the current line, unless it is empty.
func (b *textBuilder) lineBreak() {
	b.space, b.newline = false, false
	if b.last != 0 && b.last != '\n' {
		b.writeRune('\n')
	}
}

// startLinks sets the start of open links that have no text yet.
func (b *textBuilder) startLinks() {
	for _, i := range b.openLink {
		if b.doc.Links[i].Start < 0 {
			b.doc.Links[i].Start = b.runes
		}
	}
}

// ExtractHTML reduces an HTML body to the text a reviewer sees: paragraphs
// and block elements become lines, white space collapses, entities are
// decoded, table cells are separated by tabs, images show as 【图片】, and
// the content of script, style and similar elements is dropped. Links
// (href, src) are collected with the range of their text. Malformed HTML is
// read as a browser would; it never fails.
func ExtractHTML(src string) Document {
	doc := Document{}
	b := &textBuilder{doc: &doc, tokenStart: -1}
	z := html.NewTokenizer(strings.NewReader(src))
	z.SetMaxBuf(0)
	offset := 0
	drop := 0 // depth inside dropped elements
	pre := 0
	for {
		tt := z.Next()
		raw := len(z.Raw())
		start := offset
		offset += raw
		switch tt {
		case html.ErrorToken:
			// The end of the input (a string reader fails no other way).
			return b.finish()
		case html.TextToken:
			if drop > 0 {
				continue
			}
			b.tokenStart = -1
			b.writeText(string(z.Text()), pre > 0)
			if b.tokenStart >= 0 {
				doc.Spans = append(doc.Spans, Span{Start: b.tokenStart, End: b.runes, SourceStart: start, SourceEnd: offset})
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			var attrs map[string]string
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if attrs == nil {
					attrs = map[string]string{}
				}
				attrs[string(k)] = string(v)
			}
			if droppedElements[tag] {
				if tt == html.StartTagToken {
					drop++
				}
				continue
			}
			if drop > 0 {
				continue
			}
			if blockElements[tag] {
				b.lineBreak()
			}
			switch tag {
			case "td", "th":
				if b.last != 0 && b.last != '\n' && b.last != '\t' {
					b.space = false
					b.writeRune('\t')
				}
			case "pre":
				if tt == html.StartTagToken {
					pre++
				}
			}
			if attr, ok := linkAttrs[tag]; ok {
				if u := strings.TrimSpace(attrs[attr]); u != "" {
					doc.Links = append(doc.Links, Link{URL: u, Kind: tag, Start: -1})
					idx := len(doc.Links) - 1
					if tag == "a" && tt == html.StartTagToken {
						b.openLink = append(b.openLink, idx)
					} else {
						if tag == "img" {
							b.flushSpace('【')
							b.startLinks()
						}
						doc.Links[idx].Start = b.runes
						b.placeholder(tag, attrs["alt"])
						doc.Links[idx].End = b.runes
					}
					continue
				}
			}
			if tag == "img" {
				b.placeholder(tag, attrs["alt"])
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if droppedElements[tag] {
				if drop > 0 {
					drop--
				}
				continue
			}
			if drop > 0 {
				continue
			}
			if tag == "pre" && pre > 0 {
				pre--
			}
			if tag == "a" && len(b.openLink) > 0 {
				l := &doc.Links[b.openLink[len(b.openLink)-1]]
				b.openLink = b.openLink[:len(b.openLink)-1]
				l.End = b.runes
				if l.Start < 0 {
					l.Start = b.runes
				}
			}
			if blockElements[tag] {
				b.lineBreak()
			}
		}
	}
}

// finish closes the links left open, trims trailing white space and keeps
// every range inside the text.
func (b *textBuilder) finish() Document {
	doc := b.doc
	for _, i := range b.openLink {
		doc.Links[i].End = b.runes
	}
	text := b.sb.String()
	trimmed := strings.TrimRight(text, "\n ")
	n := b.runes - (len(text) - len(trimmed)) // trailing white space is ASCII
	doc.Text = trimmed
	for i := range doc.Links {
		l := &doc.Links[i]
		if l.Start < 0 {
			l.Start = l.End
		}
		l.End = min(l.End, n)
		l.Start = min(l.Start, l.End)
	}
	for i := range doc.Spans {
		doc.Spans[i].End = min(doc.Spans[i].End, n)
	}
	return *doc
}

// placeholder writes 【图片】 (with the alt text when there is one) for an
// image, so that the reviewer sees where it is.
func (b *textBuilder) placeholder(tag, alt string) {
	if tag != "img" {
		return
	}
	label := "【图片】"
	if alt = strings.Join(strings.Fields(alt), " "); alt != "" {
		label = "【图片：" + alt + "】"
	}
	b.flushSpace('【')
	b.startLinks()
	for _, r := range label {
		b.writeRune(r)
	}
}

// isCJK reports whether r is a Han character or CJK punctuation.
func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303F || r >= 0xFF00 && r <= 0xFFEF
}
