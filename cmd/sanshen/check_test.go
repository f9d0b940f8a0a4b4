package main

import (
	"bytes"
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"sanshen/client/linkcheck"
	"sanshen/review/precheck"
)

// checkCLI runs `sanshen check args…` in-process.
func checkCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"check"}, args...), &env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
	return code, stdout.String(), stderr.String()
}

func writeCheckFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const (
	checkPlanted = "机密★1年\n根据中华人民共和国安全生产法，既使困难也要按装。\n联系人身份证号120101199001011239，办公电话022-12345678。\n"
	checkHTML    = `<html><head><title>标题</title><style>p{}</style><script>var s="机密★1年";</script></head>
<body><p>请访问<a href="https://example.invalid/a">我们的的网站</a>。</p>
<p>联系&nbsp;手机 13812345678</p></body></html>`
	checkClean = "市城市管理委员会召开专题会议，部署二〇二四年工作。\n"
)

// TestCheckJSON checks the contract: one JSON array of objects with exactly
// these keys, rune offsets into the file's (or the extracted) text, exit 1
// when a finding is an error.
func TestCheckJSON(t *testing.T) {
	dir := t.TempDir()
	plain := writeCheckFile(t, dir, "a.txt", checkPlanted)
	page := writeCheckFile(t, dir, "b.HTML", checkHTML)
	code, out, errs := checkCLI(t, "--json", "--no-spell", plain, page)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (errors found); stderr %s", code, errs)
	}
	var raw []map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out)
	}
	keys := []string{"file", "check", "rule", "severity", "start", "end", "excerpt", "message", "suggestion"}
	for _, obj := range raw {
		for _, k := range keys {
			if _, ok := obj[k]; !ok {
				t.Fatalf("finding %v lacks %q", obj, k)
			}
		}
	}
	var got []checkJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	texts := map[string][]rune{plain: []rune(checkPlanted), page: []rune("请访问我们的的网站。\n联系 手机 13812345678")}
	rulesByFile := map[string][]string{}
	for _, f := range got {
		text := texts[f.File]
		if f.Start < 0 || f.End > len(text) || f.Start >= f.End || string(text[f.Start:f.End]) != f.Excerpt {
			t.Errorf("%s: [%d,%d) %q does not match the text", f.File, f.Start, f.End, f.Excerpt)
		}
		if !strings.ContainsFunc(f.Message, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("message not in Chinese: %q", f.Message)
		}
		rulesByFile[f.File] = append(rulesByFile[f.File], f.Rule)
	}
	for _, want := range []string{"secrecy.classification", "legal.law-quotes", "text.typo", "secrecy.id-card"} {
		if !slices.Contains(rulesByFile[plain], want) {
			t.Errorf("%s: no %s among %v", plain, want, rulesByFile[plain])
		}
	}
	if slices.Contains(rulesByFile[plain], "secrecy.mobile") {
		t.Errorf("an office landline was reported as a mobile number")
	}
	if want := []string{"text.repeat", "secrecy.mobile"}; !slices.Equal(rulesByFile[page], want) {
		t.Errorf("%s: rules %v, want %v (nothing from the script)", page, rulesByFile[page], want)
	}
}

func TestCheckExitCodes(t *testing.T) {
	dir := t.TempDir()
	clean := writeCheckFile(t, dir, "clean.txt", checkClean)
	warn := writeCheckFile(t, dir, "warn.txt", "手机13812345678")
	bad := writeCheckFile(t, dir, "bad.txt", checkPlanted)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"--no-spell", clean}, 0},
		{"warnings only", []string{"--no-spell", warn}, 0},
		{"errors", []string{"--no-spell", bad}, 1},
		{"flag after file", []string{clean, "--no-spell", "--json"}, 0},
		{"no file", []string{"--json"}, 2},
		{"unknown flag", []string{"--frobnicate", clean}, 2},
		{"missing file", []string{"--no-spell", filepath.Join(dir, "none.txt")}, 2},
		{"missing and bad", []string{"--no-spell", bad, filepath.Join(dir, "none.txt")}, 2},
		{"a directory", []string{"--no-spell", dir}, 2},
		{"lists not a directory", []string{"--no-spell", "--lists", clean, clean}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, _, errs := checkCLI(t, tc.args...); code != tc.code {
				t.Errorf("exit %d, want %d; stderr %s", code, tc.code, errs)
			}
		})
	}
	// A clean file gives an empty array, not null.
	if _, out, _ := checkCLI(t, "--json", "--no-spell", clean); strings.TrimSpace(out) != "[]" {
		t.Errorf("clean --json output %q, want []", out)
	}
	// With a missing file the others are still reported.
	code, out, _ := checkCLI(t, "--json", "--no-spell", filepath.Join(dir, "none.txt"), bad)
	var got []checkJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 2 || len(got) == 0 {
		t.Errorf("missing + bad: exit %d, %d findings, %v", code, len(got), err)
	}
}

func TestCheckReadable(t *testing.T) {
	dir := t.TempDir()
	p := writeCheckFile(t, dir, "a.txt", checkPlanted)
	code, out, _ := checkCLI(t, "--no-spell", p)
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{
		p + ":1:1: 错误 保密关 secrecy.classification",
		p + ":2:3: 警告 法律关 legal.law-quotes",
		"「按装」 → 「安装」",
		"个错误",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckInvalidUTF8AndLists(t *testing.T) {
	dir := t.TempDir()
	p := writeCheckFile(t, dir, "gbk.txt", "\xb9\xfa\xbc\xd2 城管局\x1b[31m")
	lists := filepath.Join(dir, "lists")
	if err := os.Mkdir(lists, 0o700); err != nil {
		t.Fatal(err)
	}
	writeCheckFile(t, lists, "typos.tsv", "城管局\t城市管理委员会\twarning\n")
	code, out, errs := checkCLI(t, "--no-spell", "--lists", lists, p)
	if code != 1 || !strings.Contains(errs, "not valid UTF-8") {
		t.Fatalf("exit %d stderr %q", code, errs)
	}
	if !strings.Contains(out, "text.garbled") || !strings.Contains(out, `\xb9`) || strings.Contains(out, "\x1b") {
		t.Errorf("garbled text not reported safely:\n%q", out)
	}
	if !strings.Contains(out, "「城管局」 → 「城市管理委员会」") {
		t.Errorf("office list not used:\n%s", out)
	}
	writeCheckFile(t, lists, "typos.tsv", "城管局\t城市管理委员会\tfatal\n")
	if code, _, errs := checkCLI(t, "--no-spell", "--lists", lists, p); code != 2 || !strings.Contains(errs, "typos.tsv:1") {
		t.Errorf("bad list: exit %d, stderr %q", code, errs)
	}
}

// TestCheckWithSpelling runs the default form, spelling detector included.
func TestCheckWithSpelling(t *testing.T) {
	dir := t.TempDir()
	p := writeCheckFile(t, dir, "a.txt", checkPlanted)
	code, out, errs := checkCLI(t, "--json", p)
	var got []checkJSON
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 1 {
		t.Fatalf("exit %d, %v, stderr %s", code, err, errs)
	}
	for _, f := range got {
		if f.Rule == "text.spell" && (f.Excerpt == "" || f.Suggestion == "") {
			t.Errorf("spelling finding without excerpt or suggestion: %+v", f)
		}
	}
}

// TestCheckFindsDemoPlantedProblems reads the demo items of the server
// (server/demo_items.go) and checks that every planted problem is found:
// the offline checks for the text, the link checker for the dead link.
func TestCheckFindsDemoPlantedProblems(t *testing.T) {
	src := filepath.Join("..", "..", "server", "demo_items.go")
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, src, nil, parser.ParseComments)
	if err != nil {
		t.Fatalf("no demo items: %v", err) // the file is in this repository: reading it must not fail
	}
	checker, err := precheck.New(precheck.Options{})
	if err != nil {
		t.Fatal(err)
	}
	links := linkcheck.New(linkcheck.Options{Timeout: 2 * time.Second})
	expect := map[string]string{
		"typo": precheck.RuleTypo, "document number": precheck.RuleDocNumber, "half-width": precheck.RuleHalfWidth,
		"ID number": precheck.RuleIDCard, "dead link": precheck.RuleDeadLink,
	}
	planted := 0
	ast.Inspect(file, func(n ast.Node) bool {
		lit, ok := n.(*ast.CompositeLit)
		if !ok {
			return true
		}
		var body, ct string
		for _, el := range lit.Elts {
			kv, ok := el.(*ast.KeyValueExpr)
			if !ok {
				continue
			}
			key, _ := kv.Key.(*ast.Ident)
			if key == nil {
				continue
			}
			switch key.Name {
			case "Body":
				if bl, ok := kv.Value.(*ast.BasicLit); ok {
					body, _ = strconv.Unquote(bl.Value)
				}
			case "ContentType":
				if sel, ok := kv.Value.(*ast.SelectorExpr); ok && sel.Sel.Name == "ContentHTML" {
					ct = "text/html"
				}
			}
		}
		if body == "" {
			return true
		}
		var note string
		for _, cg := range file.Comments {
			if cg.Pos() > lit.Lbrace && cg.End() < lit.Rbrace && strings.Contains(cg.Text(), "Planted") {
				note = cg.Text()
			}
		}
		if note == "" {
			return false
		}
		planted++
		doc, findings := checker.CheckBody(body, ct)
		findings = append(findings, links.Findings(context.Background(), doc)...)
		rules := map[string]bool{}
		for _, f := range findings {
			rules[f.Rule] = true
		}
		matched := false
		for word, rule := range expect {
			if strings.Contains(note, word) {
				matched = true
				if !rules[rule] {
					t.Errorf("planted %q: no %s among %v", strings.TrimSpace(note), rule, rules)
				}
			}
		}
		if strings.Contains(note, "secrecy marker") {
			matched = true
			if !rules[precheck.RuleSensitiveWord] && !rules[precheck.RuleClassification] {
				t.Errorf("planted %q: no secrecy marker found among %v", strings.TrimSpace(note), rules)
			}
		}
		if !matched && len(findings) == 0 {
			t.Errorf("planted %q: nothing found", strings.TrimSpace(note))
		}
		return false
	})
	if planted < 4 {
		t.Errorf("only %d planted problems found in %s", planted, src)
	}
}

// TestFlagsOnlyCommandsRefuseArguments: the subcommands that take flags only
// stop with exit 2 and say which argument was not expected, before opening
// any cache.
func TestFlagsOnlyCommandsRefuseArguments(t *testing.T) {
	for _, cmd := range []string{"sync", "queue", "outbox", "logout"} {
		t.Run(cmd, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			args := []string{"--config-dir", t.TempDir(), cmd, "surplus"}
			code := run(context.Background(), args, &env{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr})
			if code != 2 || !strings.Contains(stderr.String(), `"surplus"`) || !strings.Contains(stderr.String(), "Usage: sanshen "+cmd) {
				t.Fatalf("exit %d, stderr %q", code, stderr.String())
			}
		})
	}
}
