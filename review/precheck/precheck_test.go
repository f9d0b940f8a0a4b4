package precheck

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"sanshen/review"
)

var (
	testCheckerOnce sync.Once
	testChecker     *Checker
	testCheckerErr  error
)

// checker returns a Checker with the embedded lists and without the spelling
// detector (tested on its own), built once.
func checker(t testing.TB) *Checker {
	t.Helper()
	testCheckerOnce.Do(func() { testChecker, testCheckerErr = New(Options{NoSpell: true}) })
	if testCheckerErr != nil {
		t.Fatal(testCheckerErr)
	}
	return testChecker
}

// ruleCase is one table row: text, the rule under test, and the excerpts it
// must report (nil: it must report nothing).
type ruleCase struct {
	name    string
	text    string
	want    []string // excerpts, in order
	suggest []string // suggestions, when given
}

func runRuleCases(t *testing.T, c *Checker, rule string, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got, sugg []string
			for _, f := range c.Check(tc.text, review.ContentPlain) {
				if f.Rule != rule {
					continue
				}
				if want := string([]rune(tc.text)[f.Start:f.End]); want != f.Excerpt {
					t.Errorf("excerpt %q does not match runes [%d,%d) = %q", f.Excerpt, f.Start, f.End, want)
				}
				if f.Message == "" || f.MessageEN == "" || !f.Severity.Valid() || !f.Check.Valid() {
					t.Errorf("incomplete finding %+v", f)
				}
				got = append(got, f.Excerpt)
				sugg = append(sugg, f.Suggestion)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s on %q: got %q, want %q", rule, tc.text, got, tc.want)
			}
			if tc.suggest != nil && !slices.Equal(sugg, tc.suggest) {
				t.Errorf("%s on %q: suggestions %q, want %q", rule, tc.text, sugg, tc.suggest)
			}
		})
	}
}

func TestClassification(t *testing.T) {
	runRuleCases(t, checker(t), RuleClassification, []ruleCase{
		{"term", "机密★1年\n关于某事的通知", []string{"机密★1年"}, nil},
		{"long term", "绝密★长期", []string{"绝密★长期"}, nil},
		{"before use", "秘密★启用前", []string{"秘密★启用前"}, nil},
		{"star only", "机密★", []string{"机密★"}, nil},
		{"level", "本文件为秘密级。", []string{"秘密级"}, nil},
		{"密级 field", "密级：机密", []string{"密级：机密"}, nil},
		{"plain word", "保守国家秘密是公民的义务。", nil, nil},
		{"secret of success", "成功的秘密在于坚持。", nil, nil},
	})
}

func TestSensitiveWords(t *testing.T) {
	runRuleCases(t, checker(t), RuleSensitiveWord, []ruleCase{
		{"internal", "内部资料 注意保存", []string{"内部资料", "注意保存"}, nil},
		{"secret", "严禁涉密信息上网", []string{"涉密"}, nil},
		{"draft", "（征求意见稿）", []string{"征求意见稿"}, nil},
		{"harmless", "加强政务公开工作", nil, nil},
		{"level marker reported once, as a classification", "本文件为秘密级。", nil, nil},
	})
}

func TestIDCard(t *testing.T) {
	runRuleCases(t, checker(t), RuleIDCard, []ruleCase{
		{"valid", "身份证号120101199001011239，", []string{"120101199001011239"}, nil},
		{"valid X", "证件号码：11010519491231002X", []string{"11010519491231002X"}, nil},
		{"lower x", "证件号码：11010519491231002x", []string{"11010519491231002x"}, nil},
		{"wrong check digit", "编号120101199001011237", nil, nil},
		{"masked", "身份证号1201**********7710", nil, nil},
		{"masked valid-looking", "身份证号120101********1239", nil, nil},
		{"bad province", "990101199001011236", nil, nil},
		{"bad date", "120101199002301234", nil, nil},
		{"future birth", "120101209001011235", nil, nil},
		{"part of a longer run", "1201011990010112391", nil, nil},
		{"letters around", "ABC120101199001011239", nil, nil},
	})
}

func TestMobile(t *testing.T) {
	runRuleCases(t, checker(t), RuleMobile, []ruleCase{
		{"plain", "联系电话13812345678。", []string{"13812345678"}, nil},
		{"19x", "电话：19912345678", []string{"19912345678"}, nil},
		{"+86", "+8613812345678", []string{"+8613812345678"}, nil},
		{"dashes", "手机138-1234-5678", []string{"138-1234-5678"}, nil},
		{"spaces", "手机 138 1234 5678 联系", []string{"138 1234 5678"}, nil},
		{"masked", "手机138****5678", nil, nil},
		{"landline", "办公电话022-12345678", nil, nil},
		{"landline no dash", "办公电话02212345678", nil, nil},
		{"12x is no mobile", "编号12812345678", nil, nil},
		{"part of a longer number", "流水号138123456789", nil, nil},
		{"hotline", "服务热线12345", nil, nil},
	})
}

func TestBankCard(t *testing.T) {
	runRuleCases(t, checker(t), RuleBankCard, []ruleCase{
		{"19 digits", "账号6222021234567890128", []string{"6222021234567890128"}, nil},
		{"16 digits", "卡号6228480012345671。", []string{"6228480012345671"}, nil},
		{"groups", "卡号6228 4800 1234 5671。", []string{"6228 4800 1234 5671"}, nil},
		{"bad Luhn", "卡号6228480012345672。", nil, nil},
		{"an ID is no card", "120101199001011239", nil, nil},
		{"masked", "卡号6228********5671", nil, nil},
		{"too short", "卡号622848001234567", nil, nil},
		{"first digit", "编号1228480012345674", nil, nil},
	})
}

func TestEmail(t *testing.T) {
	runRuleCases(t, checker(t), RuleEmail, []ruleCase{
		{"qq", "请发送至abc123@qq.com。", []string{"abc123@qq.com"}, nil},
		{"gmail", "Mail: li.ming@gmail.com", []string{"li.ming@gmail.com"}, nil},
		{"gov.cn", "邮箱：csglw@tj.gov.cn", nil, nil},
		{"company", "info@example.com.cn", nil, nil},
	})
}

func TestTypos(t *testing.T) {
	runRuleCases(t, checker(t), RuleTypo, []ruleCase{
		{"两处", "既使困难再多，也要按装到位。", []string{"既使", "按装"}, []string{"即使", "安装"}},
		{"deploy", "认真布署", []string{"布署"}, []string{"部署"}},
		{"allowed phrase", "既使用了新设备，又提高了效率。", nil, nil},
		{"按排名 is right", "按排名先后", nil, nil},
		{"right words", "即使困难，也要安装。", nil, nil},
	})
}

func TestTraditional(t *testing.T) {
	c := checker(t)
	runRuleCases(t, c, RuleTraditional, []ruleCase{
		{"one", "工作取得了進展", []string{"進"}, []string{"进"}},
		{"two", "國家發展", []string{"國", "發"}, []string{"国", "发"}},
		{"both forms are simplified too", "乾隆年间的著名建筑被覆盖", nil, nil},
		{"simplified", "国家发展", nil, nil},
	})
	fs := c.Check("這是一段繁體中文文本，整篇都用繁體字書寫，請轉換為簡體。", review.ContentPlain)
	var n int
	for _, f := range fs {
		if f.Rule == RuleTraditional {
			n++
			if f.Severity != SeverityInfo {
				t.Errorf("a mostly Traditional text should give one info finding, got %+v", f)
			}
		}
	}
	if n != 1 {
		t.Errorf("mostly Traditional text: %d findings, want 1", n)
	}
}

func TestHalfWidth(t *testing.T) {
	runRuleCases(t, checker(t), RuleHalfWidth, []ruleCase{
		{"comma", "我们,你们", []string{","}, []string{"，"}},
		{"period", "特此通知.", []string{"."}, []string{"。"}},
		{"colon", "时间:10:30", []string{":"}, []string{"："}},
		{"question", "是否同意?", []string{"?"}, []string{"？"}},
		{"semicolon and bang", "第一;第二!", []string{";", "!"}, nil},
		{"parens", "(此件主动公开)", []string{"(", ")"}, []string{"（", "）"}},
		{"parens around english", "世界卫生组织(WHO)发布", []string{"(", ")"}, nil},
		{"ellipsis", "等等...", []string{"..."}, []string{"……"}},
		{"decimal", "增长3.5个百分点", nil, nil},
		{"time", "上午10:30开会", nil, nil},
		{"url", "网址：https://csgl.tj.gov.cn/a,b.html。", nil, nil},
		{"domain", "网址：csgl.tj.gov.cn。", nil, nil},
		{"english", "He said: Hello, world. OK?", nil, nil},
		{"numbered list", "1.加强领导", nil, nil},
		{"english in parens", "the (Sanshen) client", nil, nil},
		{"full width", "我们，你们。（一）", nil, nil},
	})
}

func TestDoubledPunct(t *testing.T) {
	runRuleCases(t, checker(t), RuleDoubledPunct, []ruleCase{
		{"period", "会议结束。。", []string{"。。"}, []string{"。"}},
		{"comma period", "会议结束，。", []string{"，。"}, []string{""}},
		{"dots", "等等。。。", []string{"。。。"}, []string{"……"}},
		{"single", "会议结束。下午继续，", nil, nil},
		{"question marks are emphasis", "真的吗？？", nil, nil},
	})
}

func TestUnpaired(t *testing.T) {
	runRuleCases(t, checker(t), RuleUnpaired, []ruleCase{
		{"title", "根据《安全生产法规定", []string{"《"}, nil},
		{"close only", "安全生产法》规定", []string{"》"}, nil},
		{"quote", "所谓“三审三校", []string{"“"}, nil},
		{"paren", "（一加强领导", []string{"（"}, nil},
		{"nested ok", "《关于印发〈办法〉的通知》和“‘一网通办’”", nil, nil},
		{"paired", "根据《中华人民共和国安全生产法》（2021年修正）“三审三校”", nil, nil},
		{"quote over paragraphs", "“第一段\n“第二段。”", nil, nil},
		{"wrong nesting", "《标题（一》）", []string{"（", "）"}, nil},
	})
}

func TestNumbers(t *testing.T) {
	c := checker(t)
	runRuleCases(t, c, RuleNumberZero, []ruleCase{
		{"digit zero", "二0二四年", []string{"二0二四"}, []string{"二〇二四"}},
		{"letter O", "二O二三年", []string{"二O二三"}, []string{"二〇二三"}},
		{"full-width zero", "二０二五年", []string{"二０二五"}, []string{"二〇二五"}},
		{"right", "二〇二四年", nil, nil},
		{"arabic", "2024年", nil, nil},
		{"one numeral", "第一0", nil, nil},
	})
	runRuleCases(t, c, RuleNumberLing, []ruleCase{
		{"零 in a year", "二零二四年", []string{"二零二四年"}, []string{"二〇二四年"}},
		{"零 in a number", "一百零五人", nil, nil},
	})
	runRuleCases(t, c, RuleFullWidthNum, []ruleCase{
		{"full width", "共计１２３人", []string{"１２３"}, []string{"123"}},
		{"half width", "共计123人", nil, nil},
	})
	runRuleCases(t, c, RuleNumberMixed, []ruleCase{
		{"千", "参加人数3千余人", []string{"3千"}, nil},
		{"百万", "投资5百万元", []string{"5百"}, nil},
		{"千米", "全长3千米", nil, nil},
		{"万 is fine", "投资345万元", nil, nil},
	})
}

func TestRepeats(t *testing.T) {
	runRuleCases(t, checker(t), RuleRepeat, []ruleCase{
		{"的的", "我们的的工作", []string{"的的"}, []string{"的"}},
		{"了了", "完成了了任务", []string{"了了"}, nil},
		{"reduplication", "常常看看，大大小小", nil, nil},
		{"为了了解", "为了了解情况", nil, nil},
		{"目的的", "达到目的的手段", nil, nil},
		{"的的确确", "的的确确", nil, nil},
		{"不了了之", "不了了之", nil, nil},
		{"以及及时", "以及及时处置", nil, nil},
	})
}

func TestGarbled(t *testing.T) {
	c := checker(t)
	text := "正常文本\xff\xfe乱码\uFFFD结束"
	var got []Finding
	for _, f := range c.Check(text, review.ContentPlain) {
		if f.Rule == RuleGarbled {
			got = append(got, f)
		}
	}
	// Runes: 正常文本 (0-3), two invalid bytes (4, 5), 乱码 (6-7), U+FFFD (8), 结束 (9-10).
	if len(got) != 2 || got[0].Start != 4 || got[0].End != 6 || got[1].Start != 8 || got[1].End != 9 {
		t.Fatalf("garbled findings %+v", got)
	}
	if n := len([]rune(text)); n != 11 {
		t.Fatalf("rune count %d", n)
	}
}

func TestFormulations(t *testing.T) {
	runRuleCases(t, checker(t), RuleFormulation, []ruleCase{
		{"state name", "中华人民共合国成立", []string{"中华人民共合国"}, []string{"中华人民共和国"}},
		{"short", "共合国", []string{"共合国"}, []string{"共和国"}},
		{"campaign", "开展扫黑险恶专项斗争", []string{"扫黑险恶"}, []string{"扫黑除恶"}},
		{"plenum", "学习党的二十大三中全会精神", []string{"二十大三中全会"}, []string{"二十届三中全会"}},
		{"procuratorate", "市人民检查院", []string{"人民检查院"}, nil},
		{"checking the yard", "检查院落卫生", nil, nil},
		{"right", "中华人民共和国，扫黑除恶，二十届三中全会，人民检察院", nil, nil},
	})
}

func TestLeaders(t *testing.T) {
	over := fstest.MapFS{FileLeaders: {Data: []byte("张三\t市长、市政府党组书记\t张叁\n李四\t副市长\n")}}
	c, err := New(Options{NoSpell: true, Override: over})
	if err != nil {
		t.Fatal(err)
	}
	runRuleCases(t, c, RuleLeaderName, []ruleCase{
		{"misspelt", "张叁同志出席", []string{"张叁"}, []string{"张三"}},
		{"right", "张三同志出席", nil, nil},
	})
	runRuleCases(t, c, RuleLeaderTitle, []ruleCase{
		{"wrong title", "副市长张三出席", []string{"副市长张三"}, []string{"市长张三"}},
		{"right title", "市长张三、副市长李四出席", nil, nil},
		{"other title", "市长李四出席", []string{"市长李四"}, []string{"副市长李四"}},
	})
	runRuleCases(t, c, RuleLeader, []ruleCase{
		{"mention", "张三、李四出席", []string{"张三", "李四"}, nil},
	})
	// Empty by default.
	for _, f := range checker(t).Check("张三、李四出席", review.ContentPlain) {
		if strings.HasPrefix(f.Rule, "political.leader") {
			t.Errorf("default leaders list is not empty: %+v", f)
		}
	}
}

func TestLawQuotes(t *testing.T) {
	runRuleCases(t, checker(t), RuleLawQuotes, []ruleCase{
		{"full name", "根据中华人民共和国安全生产法，", []string{"中华人民共和国安全生产法"}, []string{"《中华人民共和国安全生产法》"}},
		{"short name", "依照安全生产法第十条", []string{"安全生产法"}, []string{"《安全生产法》"}},
		{"regulation", "根据政府信息公开条例规定", []string{"政府信息公开条例"}, nil},
		{"quoted", "根据《中华人民共和国安全生产法》", nil, nil},
		{"quoted short", "依照《安全生产法》第十条", nil, nil},
		{"inside a title", "《关于贯彻落实安全生产法的通知》", nil, nil},
		{"method", "按照管理办法执行，根据工作方法", nil, nil},
		{"law enforcement", "根据城市管理执法工作需要", nil, nil},
		{"rule of law", "落实国家安全法治要求", nil, nil},
		{"vague", "按照有关法律法规，依据相关条例", nil, nil},
		{"country alone", "中华人民共和国成立以来", nil, nil},
		{"state organ", "中华人民共和国国家安全部门依法履职", nil, nil},
	})
}

func TestRepealed(t *testing.T) {
	runRuleCases(t, checker(t), RuleRepealed, []ruleCase{
		{"quoted", "依据《中华人民共和国合同法》第五十二条", []string{"中华人民共和国合同法"}, nil},
		{"short", "违反合同法规定", []string{"合同法"}, nil},
		{"in force", "依据《中华人民共和国劳动合同法》", nil, nil},
		{"code", "依据《中华人民共和国民法典》", nil, nil},
	})
}

func TestDocNumbers(t *testing.T) {
	c := checker(t)
	runRuleCases(t, c, RuleDocNumber, []ruleCase{
		{"square", "津政办发[2017]100号", []string{"[2017]100号"}, []string{"〔2017〕100号"}},
		{"parens", "国办发(2017)47号", []string{"(2017)47号"}, []string{"〔2017〕47号"}},
		{"full-width parens", "国办发（2017）47号", []string{"（2017）47号"}, nil},
		{"lenticular", "津城管办【2024】139号", []string{"【2024】139号"}, nil},
		{"full-width square", "津政发［2020］3号", []string{"［2020］3号"}, nil},
		{"right", "津政办发〔2017〕100号", nil, nil},
		{"not a number", "（2017年）", nil, nil},
		{"year in parens in prose", "本办法（2017）修订", nil, nil},
	})
	runRuleCases(t, c, RuleDocNumberForm, []ruleCase{
		{"第", "津政办发〔2017〕第100号", []string{"〔2017〕第100号"}, []string{"〔2017〕100号"}},
		{"leading zero", "津政办发〔2017〕01号", []string{"〔2017〕01号"}, []string{"〔2017〕1号"}},
		{"right", "津政办发〔2017〕100号", nil, nil},
	})
}

func TestFindingsSortedAndAnchored(t *testing.T) {
	c := checker(t)
	text := "机密★1年\n根据中华人民共和国安全生产法和津政办发[2017]100号文件，既使困难也要按装设备。\n身份证号120101199001011239，手机13812345678。"
	fs := c.Check(text, review.ContentPlain)
	if len(fs) < 6 {
		t.Fatalf("only %d findings: %+v", len(fs), fs)
	}
	runes := []rune(text)
	checks := map[review.Check]bool{}
	for i, f := range fs {
		if i > 0 && fs[i-1].Start > f.Start {
			t.Errorf("findings not sorted: %d after %d", f.Start, fs[i-1].Start)
		}
		if f.Start < 0 || f.End > len(runes) || f.Start >= f.End {
			t.Errorf("bad range %+v", f)
		}
		if string(runes[f.Start:f.End]) != f.Excerpt {
			t.Errorf("excerpt %q != text %q", f.Excerpt, string(runes[f.Start:f.End]))
		}
		if rc, ok := RuleCheck(f.Rule); !ok || rc != f.Check {
			t.Errorf("rule %s listed under %s", f.Rule, f.Check)
		}
		checks[f.Check] = true
	}
	for _, ch := range []review.Check{review.CheckSecrecy, review.CheckText, review.CheckLegal, review.CheckPolicy} {
		if !checks[ch] {
			t.Errorf("no finding under %s", ch)
		}
	}
}

func TestSecrecyFindings(t *testing.T) {
	c := checker(t)
	body := "<p>机密★1年</p><p>身份证号120101199001011239，再次：120101199001011239。扫黑险恶</p>"
	got := c.SecrecyScan(body, "text/html; charset=utf-8")
	want := []review.SecrecyFinding{
		{Key: "secrecy.classification:机密★1年", Rule: RuleClassification, Excerpt: "机密★1年"},
		{Key: "secrecy.id-card:120101199001011239", Rule: RuleIDCard, Excerpt: "120101199001011239"},
	}
	if !slices.Equal(got, want) {
		t.Fatalf("SecrecyScan = %+v, want %+v", got, want)
	}
	if got := c.SecrecyScan("一切正常。", review.ContentPlain); got != nil {
		t.Fatalf("clean text gave %+v", got)
	}
}

func TestDisabledRules(t *testing.T) {
	c, err := New(Options{NoSpell: true, Disabled: []string{RuleHalfWidth, RuleTypo}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range c.Check("我们,你们按装了", review.ContentPlain) {
		if f.Rule == RuleHalfWidth || f.Rule == RuleTypo {
			t.Errorf("disabled rule reported: %+v", f)
		}
	}
	if _, err := New(Options{NoSpell: true, Disabled: []string{"no.such-rule"}}); err == nil {
		t.Error("unknown rule accepted")
	}
}

func TestOverrideLists(t *testing.T) {
	over := fstest.MapFS{
		FileTypos:        {Data: []byte("# office additions\n-按装\n城管局\t城市管理委员会\twarning\t机构已改革\n")},
		FileFormulations: {Data: []byte("扫黑险恶\t扫黑除恶\tinfo\n")},
		FileTraditional:  {Data: []byte("-進\n")},
	}
	c, err := New(Options{NoSpell: true, Override: over})
	if err != nil {
		t.Fatal(err)
	}
	fs := c.Check("按装。城管局。扫黑险恶。進展", review.ContentPlain)
	byRule := map[string][]Finding{}
	for _, f := range fs {
		byRule[f.Rule] = append(byRule[f.Rule], f)
	}
	if typos := byRule[RuleTypo]; len(typos) != 1 || typos[0].Excerpt != "城管局" || typos[0].Severity != SeverityWarning ||
		!strings.Contains(typos[0].Message, "机构已改革") {
		t.Errorf("typos after override: %+v", typos)
	}
	if f := byRule[RuleFormulation]; len(f) != 1 || f[0].Severity != SeverityInfo {
		t.Errorf("formulation severity not overridden: %+v", f)
	}
	if f := byRule[RuleTraditional]; len(f) != 0 {
		t.Errorf("removed traditional character reported: %+v", f)
	}
}

func TestBadLists(t *testing.T) {
	for name, data := range map[string]string{
		FileTypos:       "错\t对\tfatal\n",
		FileRepealed:    "=\n",
		FileTraditional: "國国\n",
		FileSensitive:   "\xff\xfe\n",
	} {
		_, err := New(Options{NoSpell: true, Override: fstest.MapFS{name: {Data: []byte(data)}}})
		if err == nil || !strings.Contains(err.Error(), name+":1") {
			t.Errorf("%s %q: err = %v, want one naming the file and line", name, data, err)
		}
	}
}

func TestRulesCatalogue(t *testing.T) {
	ids := Rules()
	if len(ids) < 20 {
		t.Fatalf("only %d rules", len(ids))
	}
	for _, id := range ids {
		r := rules[id]
		if !r.check.Valid() || !r.severity.Valid() || r.zh == "" || r.en == "" {
			t.Errorf("rule %s incomplete: %+v", id, r)
		}
		if !strings.HasPrefix(id, string(r.check)+".") && id != RuleDeadLink {
			t.Errorf("rule %s is under %s", id, r.check)
		}
	}
}
