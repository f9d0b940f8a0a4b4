package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// installShortcuts wires the keyboard: they act when no text field has focus
// (Ctrl+Enter works in the comment fields too).
func (m *MainWindow) installShortcuts() {
	c := m.win.Canvas()
	c.SetOnTypedRune(m.typedRune)
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		switch e.Name {
		case fyne.KeyDown:
			m.queue.move(+1)
		case fyne.KeyUp:
			m.queue.move(-1)
		}
	})
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			m.item.checks.actPrimary()
		})
	}
}

func (m *MainWindow) typedRune(r rune) {
	switch r {
	case 'j':
		m.queue.move(+1)
	case 'k':
		m.queue.move(-1)
	case 'n', 'p':
		m.item.tabs.SelectIndex(1)
		if r == 'n' {
			m.item.diff.jump(+1)
		} else {
			m.item.diff.jump(-1)
		}
	case '1', '2', '3', '4', '5':
		m.item.checks.focusCheck(int(r - '1'))
	case '?':
		m.showShortcuts()
	}
}

// shortcutHelp lists the keyboard shortcuts: key and what it does.
func shortcutHelp() [][2]string {
	rows := [][2]string{
		{"j / ↓", tr("keys.next", "next item")},
		{"k / ↑", tr("keys.prev", "previous item")},
		{"n", tr("keys.nextchange", "next change (Changes tab)")},
		{"p", tr("keys.prevchange", "previous change")},
		{"1–5", tr("keys.check", "comment on check 1–5 (political, legal, policy, secrecy, text)")},
		{"Ctrl+Enter", tr("keys.act", "act: approve, or return when a check fails (asks to confirm)")},
		{"?", tr("keys.help", "this list")},
	}
	return rows
}

func (m *MainWindow) showShortcuts() {
	var cells []fyne.CanvasObject
	for _, r := range shortcutHelp() {
		cells = append(cells, widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(r[1]))
	}
	dialog.ShowCustom(tr("keys.title", "Keyboard shortcuts"), tr("dialog.close", "Close"), container.New(layout.NewFormLayout(), cells...), m.win)
}
