// Package precheck runs Sanshen's automated pre-checks (预审): it points at
// likely problems in a version body and groups them under the five checks,
// so that reviewers judge faster. It never decides for them.
//
//   - secrecy: classification markers (机密★1年), words of internal material
//     (内部资料, 注意保密…), complete ID card numbers, mobile numbers, bank
//     card numbers, private e-mail addresses;
//   - text: a curated list of wrong words, the statistical spelling detector
//     of review/precheck/spell, Traditional characters in Simplified text,
//     half-width, doubled and unpaired punctuation, numbers (二〇二四, GB/T
//     15835 basics) and doubled function characters (的的);
//   - political: wrong forms of the state's name, institutions and standard
//     formulations, and the leaders' names and titles the office lists;
//   - legal and policy: laws cited without 《》, repealed documents, document
//     numbers (津政办发〔2017〕100号).
//
// Dead links are reported by client/linkcheck, which needs the network; this
// package only extracts the links (Document.Links).
//
// The lists are data files (see assets/precheck/README.md): the defaults are
// embedded, and an office can add to or override them without a rebuild by
// passing a folder of its own files in Options.Override. Lists are matched
// leftmost-longest by package ahocorasick (a double-array trie with an
// Aho-Corasick automaton behind it), which stays fast at 100,000 patterns.
//
// Use:
//
//	c, err := precheck.New(precheck.Options{Override: os.DirFS(dir)})
//	doc, findings := c.CheckBody(body, contentType) // doc.Text is what the reviewer sees
//
// Offsets in findings count runes of the text the reviewer sees (for HTML,
// of the extracted text). Invalid UTF-8 counts one rune per invalid byte, as
// []rune(text) does, and is itself reported. A Checker is safe for
// concurrent use. The package does no I/O but reading the file systems it is
// given.
package precheck

import (
	"fmt"
	"io/fs"
	"slices"

	"sanshen/assets"
	"sanshen/review"
	"sanshen/review/precheck/spell"
)

// Options configures a Checker.
type Options struct {
	// Data holds the default list files; nil means the embedded
	// assets/precheck.
	Data fs.FS
	// Override holds the office's own list files (same names and format,
	// any subset). Their entries add to the defaults or replace those with
	// the same pattern; a line "-pattern" removes a default. Nil: none.
	Override fs.FS
	// Disabled lists rule ids that are not run (for example
	// "text.punct-halfwidth").
	Disabled []string
	// NoSpell leaves out the statistical spelling detector (text.spell),
	// which takes a moment to load.
	NoSpell bool
}

// Checker runs the offline pre-checks. Build it once with New; it is safe
// for concurrent use.
type Checker struct {
	disabled     map[string]bool
	typos        *list
	formulations *list
	sensitive    *list
	repealed     *list
	leaders      *leaders
	traditional  map[rune]rune
	tradBMP      []rune // traditional for U+3400…U+FFFF, 0 where none
	spell        *spell.Detector
}

// New loads the lists and builds a Checker.
func New(opts Options) (*Checker, error) {
	data := opts.Data
	if data == nil {
		sub, err := fs.Sub(assets.Precheck, "precheck")
		if err != nil {
			return nil, fmt.Errorf("precheck: embedded data: %w", err)
		}
		data = sub
	}
	c := &Checker{disabled: map[string]bool{}}
	for _, id := range opts.Disabled {
		if _, ok := rules[id]; !ok {
			return nil, fmt.Errorf("precheck: unknown rule %q", id)
		}
		c.disabled[id] = true
	}
	var err error
	for _, l := range []struct {
		dst  **list
		name string
	}{
		{&c.typos, FileTypos}, {&c.formulations, FileFormulations},
		{&c.sensitive, FileSensitive}, {&c.repealed, FileRepealed},
	} {
		if *l.dst, err = loadList(data, opts.Override, l.name); err != nil {
			return nil, err
		}
	}
	if c.leaders, err = loadLeaders(data, opts.Override); err != nil {
		return nil, err
	}
	if c.traditional, err = loadTraditional(data, opts.Override); err != nil {
		return nil, err
	}
	c.tradBMP = make([]rune, 0x10000-0x3400)
	for t, s := range c.traditional {
		if t >= 0x3400 && t < 0x10000 {
			c.tradBMP[t-0x3400] = s
		}
	}
	if !opts.NoSpell && c.enabled(RuleSpell) {
		if c.spell, err = spell.Default(); err != nil {
			return nil, fmt.Errorf("precheck: spelling detector: %w", err)
		}
	}
	return c, nil
}

func (c *Checker) enabled(id string) bool { return !c.disabled[id] }

// simplified returns the Simplified form of a Traditional-only character.
func (c *Checker) simplified(r rune) (rune, bool) {
	if r >= 0x3400 && r < 0x10000 {
		s := c.tradBMP[r-0x3400]
		return s, s != 0
	}
	s, ok := c.traditional[r]
	return s, ok
}

// Rules returns the ids of every rule a Checker may report, sorted.
func Rules() []string {
	ids := make([]string, 0, len(rules))
	for id := range rules {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// RuleCheck returns the check a rule id belongs to, and whether it is known.
func RuleCheck(id string) (review.Check, bool) {
	r, ok := rules[id]
	if !ok {
		return "", false
	}
	return r.check, true
}

// Check runs every offline check on body and returns the findings, sorted
// by position. For an HTML content type the offsets refer to the extracted
// text (see CheckBody to get it).
func (c *Checker) Check(body, contentType string) []Finding {
	_, f := c.CheckBody(body, contentType)
	return f
}

// CheckBody extracts the text a reviewer sees from body and checks it.
func (c *Checker) CheckBody(body, contentType string) (Document, []Finding) {
	doc := Extract(body, contentType)
	return doc, c.CheckText(doc.Text)
}

// CheckText checks text as it is (plain text).
func (c *Checker) CheckText(text string) []Finding {
	var hits []hit
	hits = c.checkSecrecy(text, hits)
	hits = c.checkText(text, hits)
	hits = c.checkPolitical(text, hits)
	hits = c.checkLegal(text, hits)
	findings := finish(text, hits)
	if c.spell != nil {
		findings = c.addSpelling(text, findings)
	}
	return findings
}

// addSpelling adds the spelling detector's hits that no other finding
// covers already (a listed typo is surer than a statistical guess).
func (c *Checker) addSpelling(text string, findings []Finding) []Finding {
	var added []Finding
	for _, h := range c.spell.Check(text) {
		covered := slices.ContainsFunc(findings, func(f Finding) bool {
			return (f.Check == review.CheckText || f.Check == review.CheckPolitical) && f.Start < h.End && h.Start < f.End
		})
		if covered {
			continue
		}
		added = append(added, Finding{
			Check: ruleSpell.check, Rule: RuleSpell, Severity: ruleSpell.severity,
			Start: h.Start, End: h.End, Excerpt: h.Wrong,
			Message:    format(ruleSpell.zh, h.Wrong) + fmt.Sprintf("，建议改为“%s”", h.Suggestion),
			MessageEN:  format(ruleSpell.en, h.Wrong) + fmt.Sprintf("; did you mean %q?", h.Suggestion),
			Suggestion: h.Suggestion,
		})
	}
	if len(added) == 0 {
		return findings
	}
	findings = append(findings, added...)
	slices.SortStableFunc(findings, compareFindings)
	return findings
}

// SecrecyFindings returns the secrecy findings among findings in the form
// the review workflow keeps (DESIGN §2.1): Key is rule + ":" + the matched
// text, so a dismissal survives a proofread that leaves the text alone.
// Duplicates (the same number twice) are kept once.
func SecrecyFindings(findings []Finding) []review.SecrecyFinding {
	var out []review.SecrecyFinding
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Check != review.CheckSecrecy {
			continue
		}
		key := f.Rule + ":" + f.Excerpt
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, review.SecrecyFinding{Key: key, Rule: f.Rule, Excerpt: f.Excerpt})
	}
	return out
}

// SecrecyScan checks body and returns its secrecy findings: the server's
// SecrecyScan hook, func(body, contentType string) []review.SecrecyFinding.
func (c *Checker) SecrecyScan(body, contentType string) []review.SecrecyFinding {
	doc := Extract(body, contentType)
	var hits []hit
	hits = c.checkSecrecy(doc.Text, hits)
	return SecrecyFindings(finish(doc.Text, hits))
}
