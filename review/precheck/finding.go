package precheck

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"sanshen/review"
)

// Severity says how sure and how serious a finding is.
type Severity string

// Severities, most serious first.
const (
	SeverityError   Severity = "error"   // almost certainly wrong; must be looked at
	SeverityWarning Severity = "warning" // likely wrong or risky; judge it
	SeverityInfo    Severity = "info"    // worth a look
)

// rank orders severities: a lower rank is more serious.
func (s Severity) rank() int {
	switch s {
	case SeverityError:
		return 0
	case SeverityWarning:
		return 1
	default:
		return 2
	}
}

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool {
	return s == SeverityError || s == SeverityWarning || s == SeverityInfo
}

// Finding is one automated hint (预审提示) anchored to a range of the text the
// reviewer sees. It points at a likely problem; the reviewer decides.
type Finding struct {
	Check    review.Check `json:"check"`
	Rule     string       `json:"rule"`
	Severity Severity     `json:"severity"`
	// Start and End are rune (code point) offsets into the checked text,
	// half-open. For HTML they count runes of the extracted text
	// (Document.Text).
	Start   int    `json:"start"`
	End     int    `json:"end"`
	Excerpt string `json:"excerpt"` // the text in [Start, End)
	// Message says what is wrong, in Chinese; MessageEN in English.
	Message    string `json:"message"`
	MessageEN  string `json:"message_en"`
	Suggestion string `json:"suggestion,omitempty"` // the likely replacement for Excerpt, when there is one
}

// hit is a finding while rules run: byte offsets into the text.
type hit struct {
	rule       *rule
	severity   Severity // overrides rule.severity when set
	start, end int      // bytes
	suggestion string
	zh, en     string // message; rule's when empty
}

// rule is what every finding of one rule shares.
type rule struct {
	id       string
	check    review.Check
	severity Severity
	zh, en   string // default message; may be a format with %s for the excerpt
}

func (r *rule) String() string { return r.id }

// Rule ids. Each belongs to one of the five checks; see rules.
const (
	RuleClassification = "secrecy.classification" // 绝密★… 机密★… 秘密★…
	RuleSensitiveWord  = "secrecy.sensitive-word" // 内部资料, 注意保密… (list)
	RuleIDCard         = "secrecy.id-card"
	RuleMobile         = "secrecy.mobile"
	RuleBankCard       = "secrecy.bank-card"
	RuleEmail          = "secrecy.email"

	RuleTypo          = "text.typo" // curated list
	RuleSpell         = "text.spell"
	RuleTraditional   = "text.traditional"
	RuleHalfWidth     = "text.punct-halfwidth"
	RuleDoubledPunct  = "text.punct-doubled"
	RuleUnpaired      = "text.punct-unpaired"
	RuleNumberZero    = "text.number-zero"
	RuleNumberLing    = "text.number-ling"
	RuleFullWidthNum  = "text.number-fullwidth"
	RuleNumberMixed   = "text.number-mixed"
	RuleRepeat        = "text.repeat"
	RuleGarbled       = "text.garbled"
	RuleDeadLink      = "links.dead"
	RuleFormulation   = "political.formulation"
	RuleLeaderName    = "political.leader-name"
	RuleLeaderTitle   = "political.leader-title"
	RuleLeader        = "political.leader"
	RuleLawQuotes     = "legal.law-quotes"
	RuleRepealed      = "legal.repealed"
	RuleDocNumber     = "policy.doc-number"
	RuleDocNumberForm = "policy.doc-number-format"
)

// rules lists every rule with its check, default severity and message.
var rules = map[string]*rule{}

func defRule(id string, check review.Check, sev Severity, zh, en string) *rule {
	r := &rule{id: id, check: check, severity: sev, zh: zh, en: en}
	rules[id] = r
	return r
}

var (
	ruleClassification = defRule(RuleClassification, review.CheckSecrecy, SeverityError,
		"出现密级标志“%s”，涉密信息严禁上网", "classification marker %q: classified information must never be published")
	ruleSensitiveWord = defRule(RuleSensitiveWord, review.CheckSecrecy, SeverityWarning,
		"出现“%s”字样，请确认内容可以公开", "the words %q suggest internal or classified material: confirm it may be published")
	ruleIDCard = defRule(RuleIDCard, review.CheckSecrecy, SeverityError,
		"疑似完整的居民身份证号码，公开前应隐去部分数字", "looks like a complete Chinese ID card number: mask part of it before publication")
	ruleMobile = defRule(RuleMobile, review.CheckSecrecy, SeverityWarning,
		"疑似个人手机号码，请确认可以公开或隐去部分数字", "looks like a personal mobile number: confirm it may be published or mask part of it")
	ruleBankCard = defRule(RuleBankCard, review.CheckSecrecy, SeverityError,
		"疑似银行卡号，公开前应隐去部分数字", "looks like a bank card number: mask part of it before publication")
	ruleEmail = defRule(RuleEmail, review.CheckSecrecy, SeverityWarning,
		"个人邮箱地址，请确认可以公开，宜使用单位邮箱", "a private e-mail address: confirm it may be published; prefer an official address")

	ruleTypo = defRule(RuleTypo, review.CheckText, SeverityError,
		"“%s”是常见错别字", "%q is a common misspelling")
	ruleSpell = defRule(RuleSpell, review.CheckText, SeverityWarning,
		"“%s”可能是错别字", "%q may be a typo")
	ruleTraditional = defRule(RuleTraditional, review.CheckText, SeverityWarning,
		"简体文本中出现繁体字“%s”", "traditional character %q in simplified Chinese text")
	ruleHalfWidth = defRule(RuleHalfWidth, review.CheckText, SeverityWarning,
		"中文语句中使用了半角标点“%s”，应使用全角标点", "half-width punctuation %q in a Chinese sentence: use the full-width form")
	ruleDoubledPunct = defRule(RuleDoubledPunct, review.CheckText, SeverityWarning,
		"标点符号“%s”重复或连用", "punctuation %q doubled")
	ruleUnpaired = defRule(RuleUnpaired, review.CheckText, SeverityWarning,
		"标点“%s”不成对", "unpaired %q")
	ruleNumberZero = defRule(RuleNumberZero, review.CheckText, SeverityError,
		"“%s”中的零应写作“〇”，不应使用阿拉伯数字0或字母O", "in Chinese numerals zero is written 〇, not the digit 0 or the letter O: %q")
	ruleNumberLing = defRule(RuleNumberLing, review.CheckText, SeverityWarning,
		"“%s”中的零应写作“〇”", "in a year in Chinese numerals zero is written 〇, not 零: %q")
	ruleFullWidthNum = defRule(RuleFullWidthNum, review.CheckText, SeverityWarning,
		"应使用半角阿拉伯数字，不应使用全角数字“%s”", "use half-width Arabic digits, not full-width %q")
	ruleNumberMixed = defRule(RuleNumberMixed, review.CheckText, SeverityInfo,
		"阿拉伯数字不宜与“千”“百”连用（GB/T 15835）", "do not mix Arabic digits with 千 or 百 (GB/T 15835)")
	ruleRepeat = defRule(RuleRepeat, review.CheckText, SeverityWarning,
		"“%s”重复", "%q repeated")
	ruleGarbled = defRule(RuleGarbled, review.CheckText, SeverityError,
		"乱码：文本含有无效字符", "garbled text: invalid characters")
	ruleDeadLink = defRule(RuleDeadLink, review.CheckText, SeverityError,
		"链接无法访问：%s", "dead link: %s")

	ruleFormulation = defRule(RuleFormulation, review.CheckPolitical, SeverityError,
		"“%s”是错误的规范表述", "%q is a wrong form of a standard formulation")
	ruleLeaderName = defRule(RuleLeaderName, review.CheckPolitical, SeverityError,
		"领导同志姓名“%s”有误", "leader's name %q is misspelt")
	ruleLeaderTitle = defRule(RuleLeaderTitle, review.CheckPolitical, SeverityWarning,
		"领导同志职务可能有误：“%s”", "leader's title may be wrong: %q")
	ruleLeader = defRule(RuleLeader, review.CheckPolitical, SeverityInfo,
		"涉及领导同志“%s”，请核对姓名、职务和排序", "mentions leader %q: check name, title and order")

	ruleLawQuotes = defRule(RuleLawQuotes, review.CheckLegal, SeverityWarning,
		"引用法律法规名称“%s”应加书名号", "cited law %q should stand in 《》")
	ruleRepealed = defRule(RuleRepealed, review.CheckLegal, SeverityWarning,
		"引用的“%s”已废止或失效", "%q has been repealed")
	ruleDocNumber = defRule(RuleDocNumber, review.CheckPolicy, SeverityError,
		"发文字号“%s”的年份应使用六角括号〔〕", "document number %q: the year stands in 〔〕")
	ruleDocNumberForm = defRule(RuleDocNumberForm, review.CheckPolicy, SeverityWarning,
		"发文字号“%s”的序号不加“第”字、不编虚位", "document number %q: no 第 and no leading zeros in the serial number")
)

// finish turns hits on text into findings: rune offsets, excerpts and
// messages, sorted by position, then by severity.
func finish(text string, hits []hit) []Finding {
	if len(hits) == 0 {
		return nil
	}
	offs := make([]int, 0, 2*len(hits))
	for _, h := range hits {
		offs = append(offs, h.start, h.end)
	}
	slices.Sort(offs)
	offs = slices.Compact(offs)
	runeAt := make(map[int]int, len(offs))
	pos, n := 0, 0
	for _, o := range offs {
		for pos < o && pos < len(text) {
			_, w := utf8.DecodeRuneInString(text[pos:])
			pos += w
			n++
		}
		runeAt[o] = n
	}
	out := make([]Finding, 0, len(hits))
	for _, h := range hits {
		excerpt := text[h.start:h.end]
		sev := h.severity
		if sev == "" {
			sev = h.rule.severity
		}
		zh, en := h.zh, h.en
		if zh == "" {
			zh, en = format(h.rule.zh, excerpt), format(h.rule.en, excerpt)
		}
		out = append(out, Finding{
			Check: h.rule.check, Rule: h.rule.id, Severity: sev,
			Start: runeAt[h.start], End: runeAt[h.end], Excerpt: excerpt,
			Message: zh, MessageEN: en, Suggestion: h.suggestion,
		})
	}
	slices.SortStableFunc(out, compareFindings)
	return out
}

// compareFindings orders findings by position, then by severity, most
// serious first.
func compareFindings(a, b Finding) int {
	if a.Start != b.Start {
		return a.Start - b.Start
	}
	if a.End != b.End {
		return a.End - b.End
	}
	return a.Severity.rank() - b.Severity.rank()
}

// format fills a message that has one %s or %q verb with the excerpt.
func format(msg, excerpt string) string {
	if strings.Contains(msg, "%s") || strings.Contains(msg, "%q") {
		return fmt.Sprintf(msg, excerpt)
	}
	return msg
}
