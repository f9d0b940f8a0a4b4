package ui

import (
	"bytes"
	"image"
	"image/color"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"github.com/go-text/typesetting/font"
)

// sampleZH holds the characters the UI and the demo data lean on most.
const sampleZH = "三审稿件初审复审保密审查终审签发政治关法律关政策关保密关文字关通过退回修改不予发布" +
	"主动公开依申请公开不予公开校对差异历史正文待审意见理由城市管理委员会垃圾分类供热燃气" +
	"，。、；：？！“”‘’《》（）〔〕【】——……·　０１２"

func TestEmbeddedFontsCoverChinese(t *testing.T) {
	for _, res := range []fyne.Resource{cjkRegular, cjkBold} {
		face, err := font.ParseTTF(bytes.NewReader(res.Content()))
		if err != nil {
			t.Fatalf("%s: %v", res.Name(), err)
		}
		for _, r := range sampleZH {
			if _, ok := face.NominalGlyph(r); !ok {
				t.Errorf("%s has no glyph for %q (U+%04X)", res.Name(), r, r)
			}
		}
		// Latin is left to Fyne's own font so that bold Latin stays bold.
		if _, ok := face.NominalGlyph('A'); ok {
			t.Errorf("%s should leave Latin letters to Fyne's font", res.Name())
		}
	}
}

func render(t *testing.T, s string, style fyne.TextStyle) image.Image {
	t.Helper()
	txt := canvas.NewText(s, color.Black)
	txt.TextStyle = style
	txt.TextSize = 24
	w := test.NewTempWindow(t, txt)
	w.Resize(fyne.NewSize(120, 60))
	return w.Canvas().Capture()
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

// TestThemeRendersDistinctGlyphs renders through Fyne's software painter: two
// different characters must not draw the same (tofu) box, and bold must differ
// from regular.
func TestThemeRendersDistinctGlyphs(t *testing.T) {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(NewTheme())
	shen, he := render(t, "审", fyne.TextStyle{}), render(t, "核", fyne.TextStyle{})
	if sameImage(shen, he) {
		t.Fatal("审 and 核 render the same: the CJK font is not used")
	}
	if sameImage(shen, render(t, "审", fyne.TextStyle{Bold: true})) {
		t.Fatal("bold 审 renders like regular 审")
	}
	if sameImage(render(t, "A", fyne.TextStyle{}), render(t, "B", fyne.TextStyle{})) {
		t.Fatal("Latin letters no longer render")
	}
}
