package textdiff

import (
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// This file generates realistic test documents: a Chinese regulation
// (第一章 总则 … 第一条 … one article per line) and edited copies of it.

var phrases = []string{
	"为贯彻落实国务院办公厅关于政府网站发展指引的通知精神", "加强委网站建设、管理、运维和应用工作",
	"确保运行规范、高效、安全", "结合工作实际制定本办法", "办公室是委网站的主管部门",
	"负责委网站的统筹规划、综合管理、监督考核工作", "各责任部门应当及时准确做好相关内容维护",
	"按照谁主管谁负责、谁发布谁负责的原则", "严格执行信息发布审核制度", "实行三审三校制度",
	"未经审核的信息不得发布", "涉及国家秘密的信息不得在网站上发布", "发布前应当进行保密审查",
	"对转载信息应当注明来源", "建立健全网站内容保障机制", "新闻动态类栏目每周至少更新一次",
	"政策文件类栏目每季度至少更新一次", "人事信息和规划计划类栏目每半年至少更新一次",
	"专题专栏应当设置结束日期", "到期后应当及时归档并关闭", "办公室每月对网站运行情况进行检查",
	"检查结果纳入年度绩效考核", "发现问题的应当立即整改", "并将整改情况书面报送办公室",
	"网站应当落实网络安全等级保护制度", "定期开展安全检测和风险评估", "及时修补安全漏洞",
	"建立突发事件应急处置机制", "遇有重大舆情应当及时报告", "依法依规做好政务公开工作",
	"主动公开的政府信息应当在形成之日起二十个工作日内公开", "依申请公开的信息按照有关规定办理",
	"不予公开的信息应当说明理由", "互动交流栏目应当在五个工作日内答复", "答复内容应当准确规范",
	"对群众反映的问题认真研究办理", "本办法由办公室负责解释", "本办法自印发之日起施行",
	"各处室、委属各单位应当明确一名信息员", "信息员负责本单位信息的收集、整理和报送",
	"报送的信息应当真实、准确、完整", "图片、音视频等资料应当符合相关技术规范",
	"网站页面应当保持整洁美观", "链接应当有效可用", "不得出现错别字和病句",
	"第三方服务机构应当签订保密协议", "运维人员应当具备相应专业能力", "日常值守实行二十四小时制度",
	"重要时期应当加强值班值守", "技术支撑单位负责网站平台的运行维护",
}

var chapterTitles = []string{"总 则", "责任分工", "信息发布", "内容保障", "安全管理", "监督考核", "互动交流", "附 则"}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}

// chineseNumber writes n (1…9999) the way article numbers are written: 一百二十三.
func chineseNumber(n int) string {
	var b strings.Builder
	units := []string{"千", "百", "十", ""}
	div := []int{1000, 100, 10, 1}
	zero := false
	started := false
	for k, d := range div {
		q := n / d % 10
		if q == 0 {
			if started {
				zero = true
			}
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		if !(q == 1 && k == 2 && !started) {
			b.WriteString(cnDigits[q])
		}
		b.WriteString(units[k])
		started = true
	}
	return b.String()
}

// regulation returns a regulation of at least size bytes: chapters and
// articles, one article per line.
func regulation(seed uint64, size int) string {
	rng := rand.New(rand.NewPCG(seed, 7))
	var b strings.Builder
	b.WriteString("天津市城市管理委员会门户网站管理办法\n")
	article, chapter := 1, 1
	for b.Len() < size {
		if article == 1 || rng.IntN(12) == 0 {
			b.WriteString("第" + chineseNumber(chapter) + "章 " + chapterTitles[(chapter-1)%len(chapterTitles)] + "\n")
			chapter++
		}
		b.WriteString("第" + chineseNumber(article) + "条 ")
		article++
		for s := 1 + rng.IntN(3); s > 0; s-- {
			for c := 1 + rng.IntN(3); c > 0; c-- {
				b.WriteString(phrases[rng.IntN(len(phrases))])
				if c > 1 {
					b.WriteString([]string{"，", "，", "、", "；"}[rng.IntN(4)])
				}
			}
			b.WriteString("。")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// editKind says where the edits of an edited copy go.
type editKind int

const (
	dispersed editKind = iota // ~3% of the characters of every article
	clustered                 // a few articles rewritten heavily
)

func (k editKind) String() string {
	if k == dispersed {
		return "dispersed"
	}
	return "clustered"
}

// randomHan returns a character from the phrases, so edits look like text.
func randomHan(rng *rand.Rand) string {
	p := phrases[rng.IntN(len(phrases))]
	rs := []rune(p)
	return string(rs[rng.IntN(len(rs))])
}

// editRunes changes about rate of the characters of line (not its article
// number or line break) by substitutions, insertions and deletions of one
// to three characters.
func editRunes(rng *rand.Rand, line string, rate float64) string {
	rs := []rune(strings.TrimSuffix(line, "\n"))
	head := 0
	if i := strings.IndexRune(string(rs), ' '); i >= 0 {
		head = utf8.RuneCountInString(string(rs)[:i]) + 1
	}
	body := len(rs) - head
	if body <= 0 {
		return line
	}
	target := int(float64(body)*rate + rng.Float64())
	for changed := 0; changed < target; {
		n := 1 + rng.IntN(3)
		pos := head + rng.IntN(len(rs)-head)
		if pos+n > len(rs) {
			n = len(rs) - pos
		}
		var ins []rune
		switch rng.IntN(3) {
		case 0: // substitute
			for k := 0; k < n; k++ {
				ins = append(ins, []rune(randomHan(rng))...)
			}
		case 1: // insert
			for k := 0; k < n; k++ {
				ins = append(ins, []rune(randomHan(rng))...)
			}
			rs = append(rs[:pos], append(ins, rs[pos:]...)...)
			changed += n
			continue
		case 2: // delete
		}
		rs = append(rs[:pos], append(ins, rs[pos+n:]...)...)
		changed += n
	}
	return string(rs) + "\n"
}

// editDocument returns an edited copy of doc: articles edited (dispersed or
// clustered), and articles inserted, deleted and moved.
func editDocument(seed uint64, doc string, kind editKind) string {
	rng := rand.New(rand.NewPCG(seed, 11))
	lines := strings.SplitAfter(doc, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	switch kind {
	case dispersed:
		for i := range lines {
			lines[i] = editRunes(rng, lines[i], 0.03)
		}
	case clustered:
		for k := 0; k < 3; k++ {
			i := 1 + rng.IntN(len(lines)-1)
			lines[i] = editRunes(rng, lines[i], 0.15)
		}
	}
	structural := max(1, len(lines)/150)
	for k := 0; k < structural; k++ {
		// delete one article
		i := 1 + rng.IntN(len(lines)-1)
		lines = append(lines[:i], lines[i+1:]...)
		// insert a new one
		i = 1 + rng.IntN(len(lines)-1)
		fresh := "第" + chineseNumber(900+k) + "条 " + phrases[rng.IntN(len(phrases))] + "，" + phrases[rng.IntN(len(phrases))] + "。\n"
		lines = append(lines[:i], append([]string{fresh}, lines[i:]...)...)
		// move one far away
		from := 1 + rng.IntN(len(lines)-1)
		moved := lines[from]
		lines = append(lines[:from], lines[from+1:]...)
		to := 1 + (from+len(lines)/2)%(len(lines)-1)
		lines = append(lines[:to], append([]string{moved}, lines[to:]...)...)
	}
	return strings.Join(lines, "")
}
