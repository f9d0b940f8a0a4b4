package spell

import (
	"os"
	"testing"
)

func TestDiagnose(t *testing.T) {
	if os.Getenv("SPELL_EXPLORE") == "" {
		t.Skip("set SPELL_EXPLORE=1")
	}
	raw := loadRaw(t)
	d := raw.detector(t, countPairs(raw.train[len(raw.train)/2:]), model{})
	lat := newLattice(d.lex)
	notCand, negGain, ok := 0, 0, 0
	shown := 0
	for _, ex := range raw.train[:len(raw.train)/2] {
		forRuns(ex.wrong, func(start int, chars []rune) {
			lat.reset(chars)
			found := map[int]*features{}
			d.candidates(lat, func(f *features) {
				p := start + f.pos
				if f.size == 1 && ex.right[p] == f.to[0] && ex.wrong[p] != ex.right[p] {
					c := *f
					found[p] = &c
				}
			})
			for i := range chars {
				p := start + i
				if ex.wrong[p] == ex.right[p] {
					continue
				}
				f := found[p]
				switch {
				case f == nil:
					notCand++
				case f.gain <= 0:
					negGain++
					if shown < 60 {
						shown++
						lo, hi := max(0, i-5), min(len(chars), i+6)
						t.Logf("%s→%s gain %.2f old %s(%d) new len %d  ctx %s | %s", string(f.from[0]), string(f.to[0]), f.gain,
							string(chars[lat.coverStart[i]:lat.coverEnd[i]]), lat.coverEnd[i]-lat.coverStart[i], f.newLen,
							string(chars[lo:hi]), string(ex.right[start+lo:start+hi]))
					}
				default:
					ok++
				}
			}
		})
	}
	t.Logf("not a candidate %d, gain<=0 %d, ok %d", notCand, negGain, ok)
}

func TestDebugSentence(t *testing.T) {
	text := os.Getenv("SPELL_DEBUG")
	if text == "" {
		t.Skip("set SPELL_DEBUG=sentence")
	}
	d := mustDefault(t)
	lat := newLattice(d.lex)
	forRuns([]rune(text), func(start int, chars []rune) {
		lat.reset(chars)
		var seg []string
		for i := 0; i < len(chars); i = lat.coverEnd[i] {
			seg = append(seg, string(chars[i:lat.coverEnd[i]]))
		}
		t.Logf("segmentation: %v", seg)
		d.candidates(lat, func(f *features) {
			s := d.model.score(f)
			if s > 0.05 {
				t.Logf("%d %s→%s gain %.2f old %d/%.1f new %d/%.1f pairs %d/%d kind %v score %.3f (threshold %.3f)",
					start+f.pos, string(f.from[:f.size]), string(f.to[:f.size]), f.gain, f.oldLen, f.oldLP, f.newLen, f.newLP,
					f.pairCount, f.seenCount, f.kind, s, d.model.thresholds[f.size])
			}
		})
	})
}

// TestMissed sorts the typos of train.tsv that cross-validation misses by
// cause.
func TestMissed(t *testing.T) {
	if os.Getenv("SPELL_EXPLORE") == "" {
		t.Skip("set SPELL_EXPLORE=1")
	}
	raw := loadRaw(t)
	recs := raw.collect(t)
	crossValidate(recs, trainLambda)
	th, m := tuneThresholds(t, recs, raw.train, trainMinPrecision)
	t.Logf("%v %v", th, m)
	// best score of the gold candidate at each typo position
	type key struct{ s, p int }
	gold := map[key]float64{}
	for _, r := range recs {
		if r.label {
			for j := 0; j < r.size; j++ {
				k := key{r.sentence, r.pos + j}
				if r.score/th[r.size] > gold[k] {
					gold[k] = r.score / th[r.size]
				}
			}
		}
	}
	none, below, found := 0, 0, 0
	shown := 0
	for i, ex := range raw.train {
		for p := range ex.wrong {
			if ex.wrong[p] == ex.right[p] {
				continue
			}
			g, ok := gold[key{i, p}]
			switch {
			case !ok:
				none++
			case g < 1:
				below++
				if shown < 80 && os.Getenv("SPELL_SHOW") != "" {
					shown++
					lo, hi := max(0, p-6), min(len(ex.wrong), p+7)
					t.Logf("below (%.2f): %s→%s  %s | %s", g, string(ex.wrong[p]), string(ex.right[p]), string(ex.wrong[lo:hi]), string(ex.right[lo:hi]))
				}
			default:
				found++
			}
		}
	}
	t.Logf("typos: no candidate with gain > 0: %d, below threshold: %d, above: %d", none, below, found)
}

// TestFalseAlarms lists the wrong flags of cross-validation on train.tsv.
func TestFalseAlarms(t *testing.T) {
	if os.Getenv("SPELL_EXPLORE") == "" {
		t.Skip("set SPELL_EXPLORE=1")
	}
	raw := loadRaw(t)
	recs := raw.collect(t)
	crossValidate(recs, trainLambda)
	th, m := tuneThresholds(t, recs, raw.train, trainMinPrecision)
	t.Logf("%v %v", th, m)
	for _, r := range recs {
		if r.label || r.score < th[r.size] {
			continue
		}
		ex := raw.train[r.sentence]
		lo, hi := max(0, r.pos-6), min(len(ex.wrong), r.pos+r.size+6)
		t.Logf("%.2f %s→%s  %s | %s", r.score, string(ex.wrong[r.pos:r.pos+r.size]), string(r.to[:r.size]), string(ex.wrong[lo:hi]), string(ex.right[lo:hi]))
	}
}
