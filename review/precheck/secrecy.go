package precheck

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// classificationRe finds classification markers: 绝密★长期, 机密★1年,
// 秘密★启用前, 秘密级, 密级：机密…
var classificationRe = regexp.MustCompile(`(?:绝密|机密|秘密)\s*[★☆]\s*(?:[0-9０-９]+\s*年|[一二三四五六七八九十]+年|长期|启用前|解密前)?|(?:绝密|机密|秘密)级|密\s*级\s*[:：]\s*(?:绝密|机密|秘密)`)

// checkSecrecy finds classification markers, personal numbers and private
// e-mail addresses. Sensitive words come from the list.
func (c *Checker) checkSecrecy(text string, hits []hit) []hit {
	if c.enabled(RuleClassification) {
		// Every marker holds 密: run the expression only around it.
		windows(text, "密", 12, 40, func(lo, hi int) {
			for _, m := range classificationRe.FindAllStringIndex(text[lo:hi], -1) {
				hits = append(hits, hit{rule: ruleClassification, start: lo + m[0], end: lo + m[1]})
			}
		})
	}
	if c.enabled(RuleSensitiveWord) {
		c.sensitive.scan(text, func(e *entry, start, end int) {
			hits = append(hits, listHit(ruleSensitiveWord, e, text, start, end))
		})
	}
	hits = checkNumbers(c, text, hits)
	if c.enabled(RuleEmail) {
		windows(text, "@", 256, 256, func(lo, hi int) {
			for _, m := range emailRe.FindAllStringIndex(text[lo:hi], -1) {
				addr := text[lo+m[0] : lo+m[1]]
				at := strings.LastIndexByte(addr, '@')
				if privateMailDomain(strings.ToLower(addr[at+1:])) {
					hits = append(hits, hit{rule: ruleEmail, start: lo + m[0], end: lo + m[1]})
				}
			}
		})
	}
	return hits
}

// windows calls fn with byte ranges of text around each occurrence of
// needle: from before bytes ahead of it to after bytes past it, widened to
// rune boundaries and merged where they overlap. Expressions that must
// contain needle run on these windows only, which is much faster than on a
// long text.
func windows(text, needle string, before, after int, fn func(lo, hi int)) {
	lo, hi := -1, -1
	for i := 0; ; {
		k := strings.Index(text[i:], needle)
		if k < 0 {
			break
		}
		at := i + k
		wlo, whi := max(0, at-before), min(len(text), at+len(needle)+after)
		for wlo > 0 && !utf8.RuneStart(text[wlo]) {
			wlo--
		}
		for whi < len(text) && !utf8.RuneStart(text[whi]) {
			whi++
		}
		if lo >= 0 && wlo <= hi {
			hi = max(hi, whi)
		} else {
			if lo >= 0 {
				fn(lo, hi)
			}
			lo, hi = wlo, whi
		}
		i = at + len(needle)
	}
	if lo >= 0 {
		fn(lo, hi)
	}
}

// listHit makes a hit of a list entry: its severity and suggestion, and its
// note added to the rule's message.
func listHit(r *rule, e *entry, text string, start, end int) hit {
	h := hit{rule: r, severity: e.severity, start: start, end: end, suggestion: e.suggestion}
	if e.note != "" {
		excerpt := text[start:end]
		h.zh = format(r.zh, excerpt) + "（" + e.note + "）"
		h.en = format(r.en, excerpt) + " (" + e.note + ")"
	}
	return h
}

var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)

// Mail domains of personal mailboxes.
var privateMailDomains = map[string]bool{
	"qq.com": true, "vip.qq.com": true, "foxmail.com": true, "163.com": true, "vip.163.com": true,
	"126.com": true, "yeah.net": true, "188.com": true, "sina.com": true, "sina.cn": true,
	"vip.sina.com": true, "sohu.com": true, "139.com": true, "189.cn": true, "wo.cn": true,
	"aliyun.com": true, "21cn.com": true, "tom.com": true, "263.net": true, "gmail.com": true,
	"hotmail.com": true, "outlook.com": true, "live.com": true, "msn.com": true, "yahoo.com": true,
	"yahoo.com.cn": true, "icloud.com": true, "me.com": true, "proton.me": true, "protonmail.com": true,
}

func privateMailDomain(d string) bool { return privateMailDomains[d] }

// digitRun is a maximal run of ASCII digits, letters and masking stars,
// the unit in which personal numbers are recognised.
type digitRun struct {
	start, end int // bytes
	s          string
}

// runs returns the maximal runs of [0-9A-Za-z*] in text.
func runs(text string) []digitRun {
	var out []digitRun
	for i := 0; i < len(text); {
		if !isRunByte(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isRunByte(text[j]) {
			j++
		}
		out = append(out, digitRun{i, j, text[i:j]})
		i = j
	}
	return out
}

func isRunByte(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '*'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// checkNumbers finds ID card, mobile and bank card numbers.
func checkNumbers(c *Checker, text string, hits []hit) []hit {
	rs := runs(text)
	for k, r := range rs {
		switch {
		case len(r.s) == 18 && ValidIDCard(r.s):
			if c.enabled(RuleIDCard) {
				hits = append(hits, hit{rule: ruleIDCard, start: r.start, end: r.end})
			}
		case allDigits(r.s) && isMobile(r.s, text, r.start):
			if c.enabled(RuleMobile) {
				start := r.start
				if len(r.s) == 13 {
					start-- // the + of +86
				}
				hits = append(hits, hit{rule: ruleMobile, start: start, end: r.end})
			}
		case allDigits(r.s) && len(r.s) >= 16 && len(r.s) <= 19 && isBankCard(r.s):
			if c.enabled(RuleBankCard) {
				hits = append(hits, hit{rule: ruleBankCard, start: r.start, end: r.end})
			}
		case len(r.s) == 3 && allDigits(r.s) && isMobilePrefix(r.s):
			// 138-1234-5678 or 138 1234 5678.
			if k+2 < len(rs) && grouped(text, rs[k:k+3], 4, 4) && c.enabled(RuleMobile) {
				hits = append(hits, hit{rule: ruleMobile, start: r.start, end: rs[k+2].end})
			}
		case len(r.s) == 4 && allDigits(r.s) && (r.s[0] >= '3' && r.s[0] <= '6' || r.s[0] == '9'):
			// A card in groups of four: 6222 0212 3456 7890 123.
			if !c.enabled(RuleBankCard) || k > 0 && rs[k-1].end == r.start-1 && (text[r.start-1] == ' ' || text[r.start-1] == '-') {
				continue
			}
			digits, end := r.s, r.end
			for j := k + 1; j < len(rs) && len(digits) < 19; j++ {
				g := rs[j]
				if g.start != end+1 || (text[end] != ' ' && text[end] != '-') || !allDigits(g.s) || len(g.s) > 4 || len(g.s) < 3 {
					break
				}
				digits += g.s
				end = g.end
			}
			if len(digits) >= 16 && len(digits) <= 19 && isBankCard(digits) && !ValidIDCard(digits) {
				hits = append(hits, hit{rule: ruleBankCard, start: r.start, end: end})
			}
		}
	}
	return hits
}

// grouped reports whether three runs are digits in groups of 3, a and b,
// joined by the same single separator (a hyphen or a space) and not part of a
// longer group.
func grouped(text string, g []digitRun, a, b int) bool {
	if len(g[1].s) != a || len(g[2].s) != b || !allDigits(g[1].s) || !allDigits(g[2].s) {
		return false
	}
	if g[1].start != g[0].end+1 || g[2].start != g[1].end+1 {
		return false
	}
	sep := text[g[0].end]
	if (sep != '-' && sep != ' ') || text[g[1].end] != sep {
		return false
	}
	// Not the middle of a longer sequence such as a card number.
	if g[2].end+1 < len(text) && text[g[2].end] == sep && isDigit(text[g[2].end+1]) {
		return false
	}
	if g[0].start >= 2 && text[g[0].start-1] == sep && isDigit(text[g[0].start-2]) {
		return false
	}
	return true
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

// isMobilePrefix reports whether s (three digits) starts a mainland mobile
// number: 13x–19x.
func isMobilePrefix(s string) bool { return s[0] == '1' && s[1] >= '3' && s[1] <= '9' }

// isMobile reports whether the digit run s at byte offset at is a mainland
// mobile number: 11 digits 1[3-9]…, or +86 followed by one.
func isMobile(s, text string, at int) bool {
	switch len(s) {
	case 11:
		return isMobilePrefix(s)
	case 13:
		return at > 0 && text[at-1] == '+' && strings.HasPrefix(s, "86") && isMobilePrefix(s[2:])
	}
	return false
}

// isBankCard reports whether s (16–19 digits) looks like a payment card
// number: a card scheme's first digit (3, 4, 5, 6 or 9) and a valid Luhn
// check digit, and it is not an ID card number.
func isBankCard(s string) bool {
	if s[0] != '3' && s[0] != '4' && s[0] != '5' && s[0] != '6' && s[0] != '9' {
		return false
	}
	if len(s) == 18 && ValidIDCard(s) {
		return false
	}
	return Luhn(s)
}

// Luhn reports whether the digit string s passes the Luhn (mod 10) check.
func Luhn(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		d := int(s[i] - '0')
		if d < 0 || d > 9 {
			return false
		}
		if double {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
		double = !double
	}
	return len(s) > 1 && sum%10 == 0
}

// Province-level codes: the first two digits of an ID card number (GB/T 2260).
var provinceCodes = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// ValidIDCard reports whether s is a complete 18-character resident ID card
// number (GB 11643): a province code, a real birth date not in the future,
// and the ISO 7064 MOD 11-2 check character. Masked numbers are not valid.
func ValidIDCard(s string) bool {
	if len(s) != 18 || !allDigits(s[:17]) {
		return false
	}
	last := s[17]
	if !isDigit(last) && last != 'X' && last != 'x' {
		return false
	}
	if !provinceCodes[s[:2]] {
		return false
	}
	birth, err := time.Parse("20060102", s[6:14])
	if err != nil || birth.Year() < 1900 || birth.After(time.Now()) {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		sum += int(s[i]-'0') * weights[i]
	}
	check := "10X98765432"[sum%11]
	return check == last || check == 'X' && last == 'x'
}
