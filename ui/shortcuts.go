package ui

import (
	"slices"

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
		if d := m.topDialog(); d != nil {
			switch e.Name {
			case fyne.KeyEscape:
				d.Hide()
			case fyne.KeyReturn, fyne.KeyEnter:
				if confirm, ok := d.(*dialog.ConfirmDialog); ok {
					confirm.Confirm()
				} else {
					d.Hide()
				}
			}
			return
		}
		switch e.Name {
		case fyne.KeyDown:
			m.queue.move(+1)
		case fyne.KeyUp:
			m.queue.move(-1)
		}
	})
	for _, k := range []fyne.KeyName{fyne.KeyReturn, fyne.KeyEnter} {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			switch d := m.topDialog().(type) {
			case nil:
				m.item.checks.actPrimary()
			case *dialog.ConfirmDialog:
				d.Confirm() // Ctrl+Enter twice: act and confirm
			}
		})
	}
	c.AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
		if m.topDialog() == nil {
			m.focusSearch()
		}
	})
}

// focusSearch puts the keyboard in the queue's search box.
func (m *MainWindow) focusSearch() { m.win.Canvas().Focus(m.queue.search) }

// focusList takes the keyboard out of any field, back to the shortcuts.
func (m *MainWindow) focusList() { m.win.Canvas().Unfocus() }

func (m *MainWindow) typedRune(r rune) {
	if m.topDialog() != nil {
		return // keys belong to the dialog
	}
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
	case '/':
		m.focusSearch()
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
		{"/ · Ctrl+F", tr("keys.search", "search the queue (Enter: first result, Esc: back to the list)")},
		{"1–5", tr("keys.check", "comment on check 1–5 (political, legal, policy, secrecy, text)")},
		{"Ctrl+Enter", tr("keys.act", "act: approve, or return when a check fails; Enter (or Ctrl+Enter again) confirms, Esc cancels")},
		{"?", tr("keys.help", "this list")},
	}
	return rows
}

func (m *MainWindow) showShortcuts() {
	var cells []fyne.CanvasObject
	for _, r := range shortcutHelp() {
		cells = append(cells, widget.NewLabelWithStyle(r[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), widget.NewLabel(r[1]))
	}
	m.showDialog(dialog.NewCustom(tr("keys.title", "Keyboard shortcuts"), tr("dialog.close", "Close"), container.New(layout.NewFormLayout(), cells...), m.win))
}

// showDialog shows d over any dialog already on screen (a sync's notice
// must not cancel a confirmation). Escape closes the newest (as its cancel
// or close button would), and the shortcuts rest while any is up.
func (m *MainWindow) showDialog(d dialog.Dialog) {
	m.dialogs = append(m.dialogs, d)
	d.SetOnClosed(func() {
		m.dialogs = slices.DeleteFunc(m.dialogs, func(x dialog.Dialog) bool { return x == d })
	})
	d.Show()
}

// topDialog is the newest dialog on screen, nil when there is none.
func (m *MainWindow) topDialog() dialog.Dialog {
	if len(m.dialogs) == 0 {
		return nil
	}
	return m.dialogs[len(m.dialogs)-1]
}
