package server

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// serveEnv runs Serve on a loopback listener until the test cancels it;
// done delivers what Serve returned, once.
func serveEnv(t *testing.T, e *testEnv, certFile, keyFile string) (addr string, cancel context.CancelFunc, done <-chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	result := make(chan error, 1)
	finished := make(chan struct{})
	go func() {
		result <- Serve(ctx, e.srv, ln, certFile, keyFile)
		close(finished)
	}()
	t.Cleanup(func() {
		cancel()
		<-finished
	})
	return ln.Addr().String(), cancel, result
}

// TestGracefulShutdown: when ctx ends, new connections are refused but a
// request in flight finishes and gets its answer.
func TestGracefulShutdown(t *testing.T) {
	e := newTestEnv(t)
	addr, cancel, done := serveEnv(t, e, "", "")
	body := fmt.Sprintf(`{"username":"rev","password":%q}`, testPassword)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body[:10])
	time.Sleep(100 * time.Millisecond) // the handler is now reading the body
	cancel()
	time.Sleep(100 * time.Millisecond)
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Error("a new connection was accepted during shutdown")
	}
	io.WriteString(conn, body[10:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("the request in flight got no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("request in flight: %d", resp.StatusCode)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Serve did not return after the request finished")
	}
}

// TestHungPeers: a client that stops halfway through its headers or its
// body is cut off, and others are served meanwhile.
func TestHungPeers(t *testing.T) {
	e := newTestEnv(t)
	e.srv.timeouts.ReadHeader = 200 * time.Millisecond
	e.srv.timeouts.Read = 400 * time.Millisecond
	addr, _, _ := serveEnv(t, e, "", "")
	stalled := func(partial string) net.Conn {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		io.WriteString(c, partial)
		return c
	}
	inHeaders := stalled("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Le")
	inBody := stalled("POST /api/v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"username\":")
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("healthz while others hang: %d", resp.StatusCode)
	}
	for name, c := range map[string]net.Conn{"headers": inHeaders, "body": inBody} {
		c.SetReadDeadline(time.Now().Add(5 * time.Second))
		start := time.Now()
		got, err := io.ReadAll(c)
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			t.Errorf("peer hung in its %s was not cut off", name)
			continue
		}
		if time.Since(start) > 3*time.Second {
			t.Errorf("peer hung in its %s cut off only after %v", name, time.Since(start))
		}
		if name == "body" && len(got) > 0 && !strings.Contains(string(got), "400") {
			t.Errorf("peer hung in its body got: %s", got)
		}
	}
}

// TestServeTLS serves HTTPS with a certificate and key from files.
func TestServeTLS(t *testing.T) {
	e := newTestEnv(t)
	certFile, keyFile, pool := selfSigned(t)
	addr, _, _ := serveEnv(t, e, certFile, keyFile)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("https healthz: %d %v", resp.StatusCode, resp.TLS)
	}
	// Plain HTTP to the TLS port never reaches the API.
	if plain, err := http.Get("http://" + addr + "/healthz"); err == nil {
		plain.Body.Close()
		if plain.StatusCode != http.StatusBadRequest {
			t.Errorf("plain HTTP to the TLS port: %d", plain.StatusCode)
		}
	}
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	if err := Serve(context.Background(), e.srv, ln, certFile, ""); err == nil {
		t.Error("a certificate without a key was accepted")
	}
}

func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "sanshend test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600)
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool
}
