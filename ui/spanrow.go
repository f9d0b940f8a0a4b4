package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// spanRow draws one visual line of styled spans as canvas texts placed side
// by side: lighter than a RichText, and as tall as one line of text.
type spanRow struct {
	widget.BaseWidget
	spans []span
}

func newSpanRow() *spanRow {
	r := &spanRow{}
	r.ExtendBaseWidget(r)
	return r
}

func (r *spanRow) setSpans(spans []span) {
	r.spans = spans
	r.Refresh()
}

func (r *spanRow) CreateRenderer() fyne.WidgetRenderer {
	rr := &spanRowRenderer{row: r}
	rr.Refresh()
	return rr
}

type spanRowRenderer struct {
	row   *spanRow
	texts []*canvas.Text
	objs  []fyne.CanvasObject
}

func (rr *spanRowRenderer) Destroy() {}

func (rr *spanRowRenderer) Objects() []fyne.CanvasObject { return rr.objs }

func (rr *spanRowRenderer) MinSize() fyne.Size {
	h := fyne.MeasureText("审Ag", theme.TextSize(), fyne.TextStyle{}).Height
	return fyne.NewSize(0, h+theme.Padding())
}

func (rr *spanRowRenderer) Layout(size fyne.Size) {
	x := theme.InnerPadding()
	for _, t := range rr.texts {
		ms := t.MinSize()
		t.Move(fyne.NewPos(x, (size.Height-ms.Height)/2))
		t.Resize(ms)
		x += ms.Width
	}
}

func (rr *spanRowRenderer) Refresh() {
	th := rr.row.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	for len(rr.texts) < len(rr.row.spans) {
		rr.texts = append(rr.texts, canvas.NewText("", nil))
	}
	rr.texts = rr.texts[:len(rr.row.spans)]
	rr.objs = rr.objs[:0]
	for i, sp := range rr.row.spans {
		t := rr.texts[i]
		t.Text = sp.text
		t.TextSize = th.Size(theme.SizeNameText)
		name, style := spanLook(sp.style)
		t.Color = th.Color(name, v)
		t.TextStyle = style
		t.Refresh()
		rr.objs = append(rr.objs, t)
	}
	rr.Layout(rr.row.Size())
}

// spanLook returns the colour and text style of a span style.
func spanLook(s spanStyle) (fyne.ThemeColorName, fyne.TextStyle) {
	switch s {
	case styleInsert, styleMarkInsert:
		return colorNameInsert, fyne.TextStyle{Bold: true}
	case styleDelete, styleMarkDelete:
		return colorNameDelete, fyne.TextStyle{Italic: true}
	case styleFindingError:
		return theme.ColorNameError, fyne.TextStyle{Bold: true}
	case styleFindingWarning:
		return theme.ColorNameWarning, fyne.TextStyle{Bold: true}
	case styleFindingInfo:
		return theme.ColorNamePrimary, fyne.TextStyle{Bold: true}
	case styleMuted:
		return theme.ColorNamePlaceHolder, fyne.TextStyle{}
	}
	return theme.ColorNameForeground, fyne.TextStyle{}
}
