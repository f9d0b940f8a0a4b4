package ui

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"sanshen/client"
)

// LoginFunc signs in and returns the session's backend.
type LoginFunc func(ctx context.Context, server, username, password string) (Backend, error)

// Preference keys the sign-in screen remembers.
const (
	prefServer = "signin.server"
	prefUser   = "signin.user"
)

// loginForm is the sign-in screen's content.
type loginForm struct {
	server, user *widget.Entry
	password     *widget.Entry
	submit       *widget.Button
	message      *widget.Label
	content      fyne.CanvasObject
}

// NewLoginWindow builds the sign-in window. It remembers the server and the
// user (never the password) and calls onSignedIn on the main goroutine.
func NewLoginWindow(a fyne.App, login LoginFunc, onSignedIn func(Backend)) fyne.Window {
	w := a.NewWindow(tr("signin.title", "Sanshen — sign in"))
	f := newLoginForm(a.Preferences(), login, func(be Backend) {
		onSignedIn(be)
		w.Close()
	})
	w.SetContent(f.content)
	w.Resize(fyne.NewSize(480, 300))
	w.Canvas().Focus(f.password)
	if f.user.Text == "" {
		w.Canvas().Focus(f.user)
	}
	return w
}

func newLoginForm(prefs fyne.Preferences, login LoginFunc, done func(Backend)) *loginForm {
	f := &loginForm{server: widget.NewEntry(), user: widget.NewEntry(), password: widget.NewPasswordEntry(), message: widget.NewLabel("")}
	f.server.SetPlaceHolder("https://review.example.gov.cn")
	f.server.SetText(prefs.String(prefServer))
	f.user.SetText(prefs.String(prefUser))
	f.message.Wrapping = fyne.TextWrapWord
	f.message.Importance = widget.DangerImportance
	f.submit = widget.NewButton(tr("signin.submit", "Sign in"), nil)
	f.submit.Importance = widget.HighImportance
	f.submit.OnTapped = func() {
		server, user, pw := strings.TrimSpace(f.server.Text), strings.TrimSpace(f.user.Text), f.password.Text
		if server == "" || user == "" || pw == "" {
			f.message.SetText(tr("signin.missing", "Enter the server, your user name and your password."))
			return
		}
		f.submit.Disable()
		f.message.SetText(tr("signin.working", "Signing in…"))
		background(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			be, err := login(ctx, server, user, pw)
			fyne.Do(func() {
				f.submit.Enable()
				if err != nil {
					f.message.SetText(signInErrorText(err))
					return
				}
				prefs.SetString(prefServer, server)
				prefs.SetString(prefUser, user)
				f.password.SetText("")
				f.message.SetText("")
				done(be)
			})
		})
	}
	f.password.OnSubmitted = func(string) { f.submit.OnTapped() }
	form := widget.NewForm(
		widget.NewFormItem(tr("signin.server", "Server"), f.server),
		widget.NewFormItem(tr("signin.user", "User"), f.user),
		widget.NewFormItem(tr("signin.password", "Password"), f.password),
	)
	f.content = container.NewPadded(container.NewVBox(
		widget.NewLabelWithStyle(tr("app.title", "Sanshen — content review"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}),
		form, f.submit, f.message))
	return f
}

// signInErrorText explains why signing in failed.
func signInErrorText(err error) string {
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.Is(err, client.ErrUnauthorized):
		return tr("signin.wrong", "Wrong user name or password.")
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid), errors.As(err, &verify):
		return tr("signin.cert", "The server's certificate is not trusted: {{.E}}", map[string]any{"E": err.Error()})
	case errors.Is(err, client.ErrUnreachable):
		return tr("signin.unreachable", "The server cannot be reached. Check the address and the network.")
	}
	return errorText(err)
}
