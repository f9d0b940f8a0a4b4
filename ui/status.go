package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
)

// statusBar shows the connection, the last sync, the outbox and sync progress.
type statusBar struct {
	content  fyne.CanvasObject
	online   *widget.Label
	last     *widget.Label
	outbox   *widget.Label
	phase    *widget.Label
	progress *widget.ProgressBar
	message  *widget.Label
	state    client.SyncState
}

func newStatusBar(m *MainWindow) *statusBar {
	s := &statusBar{
		online: widget.NewLabel(""), last: widget.NewLabel(""), outbox: widget.NewLabel(""),
		phase: widget.NewLabel(""), progress: widget.NewProgressBar(), message: widget.NewLabel(""),
	}
	s.message.Truncation = fyne.TextTruncateEllipsis
	s.progress.Hide()
	s.set(client.SyncState{}, time.Now())
	s.content = container.NewBorder(nil, nil,
		container.NewHBox(s.online, s.last, s.outbox, s.phase),
		container.NewGridWrap(fyne.NewSize(160, s.progress.MinSize().Height), s.progress),
		s.message)
	return s
}

func (s *statusBar) set(st client.SyncState, now time.Time) {
	s.state = st
	switch {
	case st.NeedSignIn:
		s.online.SetText("● " + tr("status.signin", "Sign in again"))
	case st.Online:
		s.online.SetText("● " + tr("status.online", "Online"))
	default:
		s.online.SetText("○ " + tr("status.offline", "Offline: working from the local cache"))
	}
	if st.LastSync.IsZero() {
		s.last.SetText(tr("status.never", "Not synced yet"))
	} else {
		s.last.SetText(tr("status.last", "Last sync {{.T}}", map[string]any{"T": st.LastSync.Local().Format("15:04:05")}))
	}
	out := tr("status.pending", "{{.N}} to send", map[string]any{"N": st.Pending})
	if st.Refused > 0 {
		out += " · " + tr("status.refused", "{{.N}} refused", map[string]any{"N": st.Refused})
	}
	s.outbox.SetText(out)
	if st.Syncing {
		s.phase.SetText(phaseText(st.Phase))
		s.progress.Show()
		if st.Total > 0 {
			s.progress.SetValue(float64(st.Done) / float64(st.Total))
		} else {
			s.progress.SetValue(0)
		}
	} else {
		s.phase.SetText("")
		s.progress.Hide()
	}
	if st.Err != nil {
		s.message.SetText(errorText(st.Err))
	} else {
		s.message.SetText("")
	}
}

func (s *statusBar) setError(err error) { s.message.SetText(errorText(err)) }

func phaseText(p client.SyncPhase) string {
	switch p {
	case client.PhaseSending:
		return tr("phase.sending", "Sending decisions…")
	case client.PhaseQueue:
		return tr("phase.queue", "Updating the queue…")
	case client.PhaseItems:
		return tr("phase.items", "Fetching items…")
	case client.PhaseBodies:
		return tr("phase.bodies", "Fetching texts…")
	}
	return tr("phase.sync", "Syncing…")
}
