package precheck

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"sanshen/review/precheck/ahocorasick"
)

// checkPolitical reports wrong formulations and checks leaders' names and
// titles.
func (c *Checker) checkPolitical(text string, hits []hit) []hit {
	if c.enabled(RuleFormulation) {
		c.formulations.scan(text, func(e *entry, start, end int) {
			hits = append(hits, listHit(ruleFormulation, e, text, start, end))
		})
	}
	ls := c.leaders
	if ls == nil || ls.m == nil || len(ls.people) == 0 {
		return hits
	}
	ls.m.Scan(text, func(m ahocorasick.Match) bool {
		p := ls.people[ls.who[m.Pattern]]
		if ls.misspelt[m.Pattern] {
			if c.enabled(RuleLeaderName) {
				hits = append(hits, hit{rule: ruleLeaderName, start: m.Start, end: m.End, suggestion: p.name})
			}
			return true
		}
		// The title written just before the name, if any listed one is.
		if c.enabled(RuleLeaderTitle) && len(p.titles) > 0 {
			for _, t := range ls.titles {
				if strings.HasSuffix(text[:m.Start], t) {
					if !slices.Contains(p.titles, t) {
						hits = append(hits, hit{rule: ruleLeaderTitle, start: m.Start - len(t), end: m.End,
							suggestion: p.titles[0] + p.name})
					}
					break
				}
			}
		}
		if c.enabled(RuleLeader) {
			hits = append(hits, hit{rule: ruleLeader, start: m.Start, end: m.End})
		}
		return true
	})
	return hits
}

// docNumberRe finds document numbers (发文字号): an issuing organ's code
// ending in a Han character, the year in brackets, the serial number and 号.
// Group 1 is the opening bracket, 2 the year, 3 the closing bracket, 4 a
// 第, 5 the serial number.
var docNumberRe = regexp.MustCompile(`\p{Han}\s*([\[\(（【［〔﹝〈<{｛])\s*((?:19|20)[0-9]{2})\s*([\]\)）】］〕﹞〉>}｝])\s*(第?)\s*([0-9]{1,5})\s*号`)

// checkDocNumbers reports document numbers whose year is not in 〔〕, and
// serial numbers with 第 or leading zeros (GB/T 9704).
func (c *Checker) checkDocNumbers(text string, hits []hit) []hit {
	var all [][]int
	windows(text, "号", 48, 0, func(lo, hi int) {
		for _, m := range docNumberRe.FindAllStringSubmatchIndex(text[lo:hi], -1) {
			for i := range m {
				if m[i] >= 0 {
					m[i] += lo
				}
			}
			all = append(all, m)
		}
	})
	for _, m := range all {
		_, w := utf8.DecodeRuneInString(text[m[0]:])
		start, end := m[0]+w, m[1] // from the bracket to 号
		open, year, cl := text[m[2]:m[3]], text[m[4]:m[5]], text[m[6]:m[7]]
		di, serial := text[m[8]:m[9]], text[m[10]:m[11]]
		fixedSerial := strings.TrimLeft(serial, "0")
		if fixedSerial == "" {
			fixedSerial = "0"
		}
		want := "〔" + year + "〕" + fixedSerial + "号"
		switch {
		case (open != "〔" || cl != "〕") && c.enabled(RuleDocNumber):
			hits = append(hits, hit{rule: ruleDocNumber, start: start, end: end, suggestion: want})
		case (di != "" || fixedSerial != serial) && c.enabled(RuleDocNumberForm):
			hits = append(hits, hit{rule: ruleDocNumberForm, start: start, end: end, suggestion: want})
		}
	}
	return hits
}

// Words ending in 法 that are not names of laws.
var notLawEndings = []string{
	"办法", "方法", "做法", "说法", "想法", "看法", "手法", "执法", "司法", "立法", "守法", "违法",
	"合法", "依法", "非法", "普法", "用法", "算法", "写法", "技法", "疗法", "书法", "语法", "章法",
	"无法", "设法", "想方设法", "作法", "护法", "枉法", "知法", "懂法", "犯法", "宪法", "新法", "该法",
	"本法", "此法", "国法", "家法", "变法", "效法", "取法", "兵法", "笔法", "刀法", "步法", "玩法", "打法",
	"战法", "解法", "加法", "减法", "乘法", "除法", "拼法", "读法", "叫法", "活法", "魔法", "戏法", "佛法",
}

// Characters that make 法 part of a longer word (法治, 法规…), not the end
// of a law's name.
const lawWordFollowers = "治规律制人院官定则宝庭务学理典令网盲纪警医"

// lawTriggers are the words that introduce a cited law, found with a
// matcher (a regular expression of alternatives is slow on long texts).
var lawTriggers = mustMatcher("中华人民共和国", "根据", "依据", "依照", "按照", "遵照", "违反", "贯彻", "参照", "对照", "适用", "实施", "执行", "落实", "修订", "修改", "颁布", "施行")

func mustMatcher(words ...string) *ahocorasick.Matcher {
	m, err := ahocorasick.New(words)
	if err != nil {
		panic(err)
	}
	return m
}

// lawNameAfter returns the byte length of the law name that starts at text[i:]
// (a run of Han characters up to and including a final 法 or 条例), or 0.
func lawNameAfter(text string, i int) int {
	j := i
	runes := 0
	for j < len(text) && runes < 30 {
		r, w := utf8.DecodeRuneInString(text[j:])
		if !isHan(r) {
			break
		}
		j += w
		runes++
		name := text[i:j]
		isLaw := strings.HasSuffix(name, "法") || strings.HasSuffix(name, "条例") || strings.HasSuffix(name, "法典")
		if !isLaw {
			continue
		}
		if hasAnySuffix(name, notLawEndings) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(text[j:]); strings.HasSuffix(name, "法") && strings.ContainsRune(lawWordFollowers, next) {
			continue
		}
		return j - i
	}
	return 0
}

func hasAnySuffix(s string, suffixes []string) bool {
	for _, x := range suffixes {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// Demonstratives and vague words that start no law's name.
var notLawStarts = []string{"有关", "相关", "上述", "以上", "下列", "本", "该", "此", "这", "其", "各", "有", "相应", "前款", "新", "原"}

// checkLawQuotes reports laws cited without 《》: "中华人民共和国…法" and
// "根据…法/条例" not inside a title.
func (c *Checker) checkLawQuotes(text string, hits []hit) []hit {
	lastEnd := 0
	for _, mt := range lawTriggers.FindAll(text) {
		m := [2]int{mt.Start, mt.End}
		if m[0] < lastEnd {
			continue
		}
		trigger := text[m[0]:m[1]]
		start := m[1]
		if trigger == "中华人民共和国" {
			start = m[0]
		}
		if open, _ := utf8.DecodeLastRuneInString(text[:m[0]]); open == '《' || insideTitle(text, m[0]) {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(text[m[1]:]); next == '《' {
			continue
		}
		n := lawNameAfter(text, m[1])
		if n == 0 {
			continue
		}
		end := m[1] + n
		name := text[start:end]
		if trigger != "中华人民共和国" && (utf8.RuneCountInString(name) < 3 || hasAnyPrefix(name, notLawStarts) || strings.Contains(name, "的")) {
			continue
		}
		if strings.HasPrefix(text[end:], "》") {
			continue
		}
		hits = append(hits, hit{rule: ruleLawQuotes, start: start, end: end, suggestion: "《" + name + "》"})
		lastEnd = end
	}
	return hits
}

// insideTitle reports whether byte i is inside an open 《…》 of its line.
func insideTitle(text string, i int) bool {
	// Titles are short: look back a little, not over a whole long line.
	lo := max(0, i-600)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo++
	}
	line := text[lo:i]
	if k := strings.LastIndexByte(line, '\n'); k >= 0 {
		line = line[k+1:]
	}
	return strings.LastIndex(line, "《") > strings.LastIndex(line, "》")
}

// checkLegal runs the legal (法律关) and policy (政策关) rules.
func (c *Checker) checkLegal(text string, hits []hit) []hit {
	if c.enabled(RuleLawQuotes) {
		hits = c.checkLawQuotes(text, hits)
	}
	if c.enabled(RuleRepealed) {
		c.repealed.scan(text, func(e *entry, start, end int) {
			hits = append(hits, listHit(ruleRepealed, e, text, start, end))
		})
	}
	if c.enabled(RuleDocNumber) || c.enabled(RuleDocNumberForm) {
		hits = c.checkDocNumbers(text, hits)
	}
	return hits
}
