package precheck

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkText runs the text check (文字关) rules that need no list but the
// typo and character tables.
func (c *Checker) checkText(text string, hits []hit) []hit {
	if c.enabled(RuleTypo) {
		c.typos.scan(text, func(e *entry, start, end int) {
			hits = append(hits, listHit(ruleTypo, e, text, start, end))
		})
	}
	if c.enabled(RuleGarbled) {
		hits = checkGarbled(text, hits)
	}
	if c.enabled(RuleTraditional) {
		hits = c.checkTraditional(text, hits)
	}
	if c.enabled(RuleHalfWidth) {
		hits = checkHalfWidth(text, hits)
	}
	if c.enabled(RuleDoubledPunct) {
		hits = checkDoubled(text, hits)
	}
	if c.enabled(RuleUnpaired) {
		hits = checkUnpaired(text, hits)
	}
	hits = c.checkNumerals(text, hits)
	if c.enabled(RuleRepeat) {
		hits = checkRepeats(text, hits)
	}
	return hits
}

// checkGarbled reports invalid UTF-8 and replacement characters (U+FFFD),
// one finding per run.
func checkGarbled(text string, hits []hit) []hit {
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r != utf8.RuneError {
			i += w
			continue
		}
		j := i
		for j < len(text) {
			r, w := utf8.DecodeRuneInString(text[j:])
			if r != utf8.RuneError {
				break
			}
			j += w
		}
		hits = append(hits, hit{rule: ruleGarbled, start: i, end: j})
		i = j
	}
	return hits
}

// checkTraditional reports Traditional-only characters. When most Han
// characters of the text are Traditional, the text is Traditional on
// purpose or by conversion: one finding says so instead of hundreds.
func (c *Checker) checkTraditional(text string, hits []hit) []hit {
	han, trad := 0, 0
	first := -1
	var found []hit
	for i, r := range text {
		if r < 0x3400 {
			continue
		}
		if unicode.Is(unicode.Han, r) {
			han++
		}
		if s, ok := c.simplified(r); ok {
			trad++
			if first < 0 {
				first = i
			}
			found = append(found, hit{rule: ruleTraditional, start: i, end: i + utf8.RuneLen(r), suggestion: string(s)})
		}
	}
	if trad == 0 {
		return hits
	}
	if trad >= 10 && trad*3 >= han {
		_, w := utf8.DecodeRuneInString(text[first:])
		return append(hits, hit{rule: ruleTraditional, severity: SeverityInfo, start: first, end: first + w,
			zh: "文本大部分为繁体字，请确认是否应转换为简体", en: "most of the text is in Traditional characters: check whether it should be Simplified"})
	}
	return append(hits, found...)
}

// urlRe finds URLs, e-mail addresses and bare domain names, inside which
// ASCII punctuation is right.
var urlRe = regexp.MustCompile(`(?i)(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-.]+\.[A-Za-z]{2,}|[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)

// isURLByte reports whether b may be part of a URL, an e-mail address or a
// domain name.
func isURLByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("-._~:/?#[]@!$&'()*+,;=%", b) >= 0
}

// inURL reports whether byte i of text is inside a URL, an e-mail address
// or a domain name: the run of URL characters around it holds one that
// covers i.
func inURL(text string, i int) bool {
	lo, hi := i, i+1
	for lo > 0 && isURLByte(text[lo-1]) {
		lo--
	}
	for hi < len(text) && isURLByte(text[hi]) {
		hi++
	}
	for _, m := range urlRe.FindAllStringIndex(text[lo:hi], -1) {
		if lo+m[0] <= i && i < lo+m[1] {
			return true
		}
	}
	return false
}

// fullWidth returns the full-width form of the half-width punctuation
// checked, or "".
func fullWidth(b byte) string {
	switch b {
	case ',':
		return "，"
	case '.':
		return "。"
	case ';':
		return "；"
	case ':':
		return "："
	case '?':
		return "？"
	case '!':
		return "！"
	case '(':
		return "（"
	case ')':
		return "）"
	}
	return ""
}

// isHan reports whether r is a Han character.
func isHan(r rune) bool { return r >= 0x2E80 && unicode.Is(unicode.Han, r) }

// isChineseContext reports whether r makes a neighbouring half-width mark
// part of a Chinese sentence: a Han character or Chinese punctuation.
func isChineseContext(r rune) bool {
	return isHan(r) || r >= 0x3001 && r <= 0x303F || r == '“' || r == '”' || r == '‘' || r == '’' || r >= 0xFF01 && r <= 0xFF60
}

// neighbours returns the runes just before byte i and just after byte j.
func neighbours(text string, i, j int) (prev, next rune) {
	if i > 0 {
		prev, _ = utf8.DecodeLastRuneInString(text[:i])
	}
	if j < len(text) {
		next, _ = utf8.DecodeRuneInString(text[j:])
	}
	return prev, next
}

// checkHalfWidth reports half-width , . ; : ? ! ( ) in Chinese sentences:
// next to a Han character or Chinese punctuation. Decimal points (3.5),
// times (10:30), URLs, e-mail addresses and English phrases are left alone;
// a run of dots after Chinese text is one finding (……).
func checkHalfWidth(text string, hits []hit) []hit {
	var parens map[int]bool
	for i := 0; i < len(text); i++ {
		b := text[i]
		full := fullWidth(b)
		if full == "" {
			continue
		}
		if parens == nil && (b == '(' || b == ')') {
			parens = pairParens(text)
		}
		if b == '.' {
			// A run of dots counts when Chinese stands before it, or
			// after it for two dots or more (an ellipsis).
			j := i
			for j < len(text) && text[j] == '.' {
				j++
			}
			if prev, next := neighbours(text, i, j); !isChineseContext(prev) && !(j-i >= 2 && isChineseContext(next)) {
				i = j - 1
				continue
			}
			if inURL(text, i) {
				continue
			}
			if j-i >= 2 {
				hits = append(hits, hit{rule: ruleHalfWidth, start: i, end: j, suggestion: "……"})
				i = j - 1
			} else {
				hits = append(hits, hit{rule: ruleHalfWidth, start: i, end: i + 1, suggestion: full})
			}
			continue
		}
		prev, next := neighbours(text, i, i+1)
		if !isChineseContext(prev) && !isChineseContext(next) || inURL(text, i) {
			continue // no Chinese next to it (the cheap test first)
		}
		flag := true
		switch b {
		case ':':
			flag = isChineseContext(prev) || isChineseContext(next) && !isDigitRune(prev)
		case '(', ')':
			flag = parens[i]
		}
		if flag {
			hits = append(hits, hit{rule: ruleHalfWidth, start: i, end: i + 1, suggestion: full})
		}
	}
	return hits
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// pairParens decides, for each half-width parenthesis, whether it stands in
// Chinese text: a pair counts when a Han character or Chinese punctuation is
// just outside it or just inside it; both marks of a pair are reported
// together.
func pairParens(text string) map[int]bool {
	out := map[int]bool{}
	var stack []int
	decide := func(open, close int) {
		p, _ := neighbours(text, open, open+1)
		_, n := neighbours(text, close, close+1)
		_, in1 := neighbours(text, open, open+1)
		in2, _ := neighbours(text, close, close+1)
		v := isChineseContext(p) || isChineseContext(n) || isChineseContext(in1) || isChineseContext(in2)
		out[open], out[close] = v, v
	}
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '(':
			stack = append(stack, i)
		case ')':
			if len(stack) > 0 {
				decide(stack[len(stack)-1], i)
				stack = stack[:len(stack)-1]
			} else {
				p, n := neighbours(text, i, i+1)
				out[i] = isChineseContext(p) || isChineseContext(n)
			}
		case '\n':
			for _, o := range stack {
				p, n := neighbours(text, o, o+1)
				out[o] = isChineseContext(p) || isChineseContext(n)
			}
			stack = stack[:0]
		}
	}
	for _, o := range stack {
		p, n := neighbours(text, o, o+1)
		out[o] = isChineseContext(p) || isChineseContext(n)
	}
	return out
}

// Chinese marks that must not stand next to each other.
const pausingMarks = "，、；：。"

// checkDoubled reports runs of two or more of ，、；：。 (。。 or ，。), and
// 。。。 written for an ellipsis.
func checkDoubled(text string, hits []hit) []hit {
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if r < 0x3000 || !strings.ContainsRune(pausingMarks, r) {
			i += w
			continue
		}
		j := i + w
		same := true
		count := 1
		for j < len(text) {
			r2, w2 := utf8.DecodeRuneInString(text[j:])
			if !strings.ContainsRune(pausingMarks, r2) {
				break
			}
			same = same && r2 == r
			count++
			j += w2
		}
		if count >= 2 {
			h := hit{rule: ruleDoubledPunct, start: i, end: j}
			switch {
			case same && r == '。' && count >= 3:
				h.suggestion = "……"
			case same:
				h.suggestion = string(r)
			}
			hits = append(hits, h)
		}
		i = j
	}
	return hits
}

// pairs maps the opening marks checkUnpaired pairs up to their closing
// marks; closers maps them back.
var (
	pairs   = map[rune]rune{'《': '》', '“': '”', '‘': '’', '（': '）', '〔': '〕', '【': '】'}
	closers = func() map[rune]rune {
		m := map[rune]rune{}
		for o, c := range pairs {
			m[c] = o
		}
		return m
	}()
)

// checkUnpaired reports 《》, “”, ‘’ and （） that do not pair up within a
// paragraph. A quotation that runs over several paragraphs opens each of
// them with “ and closes only at its end; that is right.
func checkUnpaired(text string, hits []hit) []hit {
	type open struct {
		r   rune
		pos int
	}
	paragraphs := strings.SplitAfter(text, "\n")
	off := 0
	for pi, para := range paragraphs {
		var stack []open
		for i, r := range para {
			if r < 0x2018 || r > 0xFF09 {
				continue
			}
			if _, ok := pairs[r]; ok {
				stack = append(stack, open{r, off + i})
				continue
			}
			o, ok := closers[r]
			if !ok {
				continue
			}
			// Close the nearest matching opener; openers above it are unpaired.
			k := len(stack) - 1
			for k >= 0 && stack[k].r != o {
				k--
			}
			if k < 0 {
				hits = append(hits, hit{rule: ruleUnpaired, start: off + i, end: off + i + utf8.RuneLen(r), suggestion: ""})
				continue
			}
			for _, u := range stack[k+1:] {
				hits = append(hits, hit{rule: ruleUnpaired, start: u.pos, end: u.pos + utf8.RuneLen(u.r)})
			}
			stack = stack[:k]
		}
		for _, u := range stack {
			if u.r == '“' && pi+1 < len(paragraphs) && strings.HasPrefix(strings.TrimLeft(paragraphs[pi+1], " \t\u3000"), "“") {
				continue // a quotation that goes on in the next paragraph
			}
			hits = append(hits, hit{rule: ruleUnpaired, start: u.pos, end: u.pos + utf8.RuneLen(u.r)})
		}
		off += len(para)
	}
	return hits
}

// lingYearRe finds years in Chinese numerals written with 零: 二零二四年.
var lingYearRe = regexp.MustCompile(`[〇一二三四五六七八九零]{4}年`)

// fullWidthDigitRe finds full-width digits.
var fullWidthDigitRe = regexp.MustCompile(`[０-９]+(?:[．.][０-９]+)?`)

// Units written with 千 (千米, 千克…), where 3千米 is right.
var kiloUnits = []string{"米", "克", "瓦", "帕", "焦", "伏", "赫", "卡", "字节", "兆", "周"}

// checkNumerals applies the basics of GB/T 15835 (numbers in publications).
func (c *Checker) checkNumerals(text string, hits []hit) []hit {
	if c.enabled(RuleNumberZero) {
		hits = checkZero(text, hits)
	}
	if c.enabled(RuleNumberLing) {
		windows(text, "年", 12, 0, func(lo, hi int) {
			for _, m := range lingYearRe.FindAllStringIndex(text[lo:hi], -1) {
				s := text[lo+m[0] : lo+m[1]]
				if strings.Contains(s, "零") {
					hits = append(hits, hit{rule: ruleNumberLing, start: lo + m[0], end: lo + m[1], suggestion: strings.ReplaceAll(s, "零", "〇")})
				}
			}
		})
	}
	if c.enabled(RuleFullWidthNum) && strings.ContainsAny(text, "０１２３４５６７８９") {
		for _, m := range fullWidthDigitRe.FindAllStringIndex(text, -1) {
			s := text[m[0]:m[1]]
			half := strings.Map(func(r rune) rune {
				if r >= '０' && r <= '９' {
					return r - '０' + '0'
				}
				if r == '．' {
					return '.'
				}
				return r
			}, s)
			hits = append(hits, hit{rule: ruleFullWidthNum, start: m[0], end: m[1], suggestion: half})
		}
	}
	if c.enabled(RuleNumberMixed) {
		hits = checkMixed(text, hits)
	}
	return hits
}

// Characters of Chinese numerals, and the marks written for their zero by
// mistake.
const (
	chineseDigits = "一二三四五六七八九"
	zeroLike      = "0OoＯｏ０"
)

// checkZero reports runs of Chinese numerals holding a zero written as a
// digit or a letter: 二0二四, 二O二三, 一９九０.
func checkZero(text string, hits []hit) []hit {
	in := func(r rune) bool {
		switch r {
		case '一', '二', '三', '四', '五', '六', '七', '八', '九', '〇', '零', '0', 'O', 'o', 'Ｏ', 'ｏ', '０':
			return true
		}
		return false
	}
	for i := 0; i < len(text); {
		r, w := utf8.DecodeRuneInString(text[i:])
		if !in(r) {
			i += w
			continue
		}
		j, runes, chinese, zero := i, 0, 0, false
		for j < len(text) {
			r, w := utf8.DecodeRuneInString(text[j:])
			if !in(r) {
				break
			}
			runes++
			if strings.ContainsRune(chineseDigits, r) {
				chinese++
			} else if strings.ContainsRune(zeroLike, r) {
				zero = true
			}
			j += w
		}
		if runes >= 3 && chinese >= 2 && zero {
			fixed := strings.Map(func(r rune) rune {
				if strings.ContainsRune(zeroLike, r) || r == '零' {
					return '〇'
				}
				return r
			}, text[i:j])
			hits = append(hits, hit{rule: ruleNumberZero, start: i, end: j, suggestion: fixed})
		}
		i = j
	}
	return hits
}

// checkMixed reports an Arabic number followed by 千 or 百 (3千, 5百万),
// leaving units such as 千米 alone.
func checkMixed(text string, hits []hit) []hit {
	for i := 0; ; {
		k := strings.IndexAny(text[i:], "千百")
		if k < 0 {
			return hits
		}
		at := i + k
		_, w := utf8.DecodeRuneInString(text[at:])
		i = at + w
		start := at
		for start > 0 && (isDigit(text[start-1]) || text[start-1] == '.') {
			start--
		}
		for start < at && text[start] == '.' {
			start++
		}
		if start == at || !isDigit(text[at-1]) {
			continue
		}
		rest, unit := text[i:], text[at:i]
		if unit == "千" && hasAnyPrefix(rest, kiloUnits) || unit == "百" && strings.HasPrefix(rest, "分") {
			continue
		}
		hits = append(hits, hit{rule: ruleNumberMixed, start: start, end: i})
	}
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// Function characters that are almost never doubled, with the words that
// make a doubling right: the character followed by the next one (了解 in
// 为了了解), or preceded by the one before (目的 in 目的的).
var repeatable = map[rune]struct{ after, before []string }{
	'的': {after: []string{"的确", "的士", "的卢"}, before: []string{"目的", "标的", "打的", "有的", "端的", "似的", "众矢之的"}},
	'了': {after: []string{"了解", "了却", "了结", "了然", "了断", "了如", "了不", "了得"}, before: []string{"不了", "小时了"}},
	'与': {after: []string{"与会", "与其", "与否"}, before: []string{"参与", "给与", "授与"}},
	'及': {after: []string{"及时", "及早", "及格", "及至"}, before: []string{"以及", "涉及", "普及", "危及", "波及", "顾及", "论及", "提及", "触及", "惠及", "遍及", "累及", "推及", "企及", "所及", "不及", "来不及", "来得及"}},
	'被': {after: []string{"被子", "被褥", "被告", "被单"}, before: []string{"棉被", "植被"}},
	'之': {},
	'和': {after: []string{"和平", "和谐", "和睦", "和美", "和气", "和解", "和善", "和蔼", "和煦", "和衷"}, before: []string{"温和", "平和", "缓和", "共和", "调和", "柔和", "随和", "祥和", "总和", "饱和", "人和", "谦和", "附和", "讲和", "中和"}},
}

// checkRepeats reports a function character written twice (的的, 了了),
// leaving alone reduplications that are words (常常, 看看) since only the
// characters above are checked, and the listed words that make a doubling
// right (为了了解, 目的的, 的的确确).
func checkRepeats(text string, hits []hit) []hit {
	var prev rune
	prevAt := -1
	for i, r := range text {
		if r == prev && prevAt >= 0 {
			if rule, ok := repeatable[r]; ok && !repeatAllowed(text, prevAt, i, rule.after, rule.before) {
				w := utf8.RuneLen(r)
				hits = append(hits, hit{rule: ruleRepeat, start: prevAt, end: i + w, suggestion: string(r)})
				prev, prevAt = 0, -1
				continue
			}
		}
		prev, prevAt = r, i
	}
	return hits
}

// repeatAllowed reports whether the doubled character at byte offsets a and b
// is part of a word: the second starts one of after, or the first ends one
// of before.
func repeatAllowed(text string, a, b int, after, before []string) bool {
	for _, w := range after {
		if strings.HasPrefix(text[b:], w) {
			return true
		}
	}
	_, w := utf8.DecodeRuneInString(text[a:])
	end := a + w
	for _, w := range before {
		if strings.HasSuffix(text[:end], w) {
			return true
		}
	}
	return false
}
