package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mend/bot/discordtest"
	"mend/config"
	"mend/internal/testkit"
	"mend/ops/opstest"
)

func TestHealthcheckExitsZeroOnlyWhenMendIsHealthy(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"status":"ok","checks":[]}`))
	}))
	defer healthy.Close()
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"status":"unhealthy","checks":[{"name":"gateway","ok":false}]}`))
	}))
	defer sick.Close()
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()

	dir := t.TempDir()
	configFile := func(toml string) string {
		path := filepath.Join(dir, strconv.Itoa(len(toml))+".toml")
		if err := os.WriteFile(path, []byte(toml), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	t.Setenv(config.FileEnv, "")
	tests := []struct {
		name   string
		args   []string
		code   int
		output string
	}{
		{"healthy", []string{"--url", healthy.URL + "/healthz"}, 0, `"status":"ok"`},
		{"unhealthy", []string{"--url", sick.URL + "/healthz"}, 1, "503 Service Unavailable"},
		{"nothing listening", []string{"--url", gone.URL + "/healthz"}, 1, "connection refused"},
		{"address from the config", []string{"--config", configFile("[metrics]\nlisten = \"" + strings.TrimPrefix(healthy.URL, "http://") + "\"\n")}, 0, `"status":"ok"`},
		{"no address in the config", []string{"--config", configFile("[log]\nlevel = \"info\"\n")}, 1, "metrics.listen is not set"},
		{"a wrong flag is unhealthy, not Docker's reserved 2", []string{"--nope"}, 1, "Usage: mend healthcheck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runMend(t, "", append([]string{"healthcheck"}, tt.args...)...)
			if code != tt.code || !strings.Contains(stdout+stderr, tt.output) {
				t.Errorf("exit %d, want %d; output does not hold %q:\n%s%s", code, tt.code, tt.output, stdout, stderr)
			}
		})
	}
}

func TestHealthURLAsksAWildcardAddressOnLoopback(t *testing.T) {
	t.Parallel()
	for listen, want := range map[string]string{
		"127.0.0.1:9464": "http://127.0.0.1:9464/healthz",
		"0.0.0.0:9464":   "http://127.0.0.1:9464/healthz",
		":9464":          "http://127.0.0.1:9464/healthz",
		"[::]:9464":      "http://127.0.0.1:9464/healthz",
		"[::1]:9464":     "http://[::1]:9464/healthz",
	} {
		if got := healthURL(listen); got != want {
			t.Errorf("healthURL(%q) = %q, want %q", listen, got, want)
		}
	}
}

// TestRunServesHealthAndMetrics runs `mend run` against a fake Discord with
// metrics.listen set, and asks it as Docker's health check would.
func TestRunServesHealthAndMetrics(t *testing.T) {
	const guild = "900000000000000001"
	srv := discordtest.New(t, discordtest.Options{Guilds: []discordtest.Guild{{ID: guild, Name: "Home"}}})
	dir := t.TempDir()
	configFile := filepath.Join(dir, "mend.toml")
	toml := "[database]\npath = " + strconv.Quote(filepath.Join(dir, "mend.db")) +
		"\n[discord]\nguild_ids = [\"" + guild + "\"]\napi_url = " + strconv.Quote(srv.APIURL()) +
		"\n[metrics]\nlisten = \"127.0.0.1:0\"\n"
	if err := os.WriteFile(configFile, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.TokenEnv, "a.fake.token")
	t.Setenv(config.FileEnv, configFile)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &testkit.LogBuffer{}
	exited := make(chan int, 1)
	go func() { exited <- run(ctx, []string{"run"}, strings.NewReader(""), &bytes.Buffer{}, logs) }()

	addr := regexp.MustCompile(`msg="serving /healthz and /metrics" addr=(\S+)`)
	var url string
	testkit.WaitUntil(t, "Mend to say where it serves /healthz", func() bool {
		if m := addr.FindStringSubmatch(logs.String()); m != nil {
			url = "http://" + m[1]
		}
		return url != ""
	})
	// /healthz passes once the gateway is ready, which is before the
	// commands are registered; stopping in between would fail the start.
	testkit.WaitUntil(t, "the commands to be registered", func() bool {
		return strings.Contains(logs.String(), `msg="registered the commands" guild=`+guild)
	})
	testkit.WaitUntil(t, "mend healthcheck to pass", func() bool {
		code, _, _ := runMend(t, "", "healthcheck", "--url", url+"/healthz")
		return code == 0
	})
	s := opstest.Metrics(t, url+"/metrics")
	if v, ok := s.Value("mend_build_info", "version", buildVersion()); !ok || v != 1 {
		t.Errorf("mend_build_info{version=%q} = %v, %v", buildVersion(), v, ok)
	}
	if v, _ := s.Value("mend_gateway_up"); v != 1 {
		t.Errorf("mend_gateway_up = %v", v)
	}
	for _, want := range []string{`msg="starting mend" version=`, `msg="connected to the discord gateway"`, `guilds=[` + guild + `]`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("the logs do not hold %q:\n%s", want, logs.String())
		}
	}

	cancel()
	select {
	case code := <-exited:
		if code != 0 {
			t.Errorf("mend run exited %d after SIGTERM:\n%s", code, logs.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("mend run did not stop")
	}
	if _, err := http.Get(url + "/healthz"); err == nil {
		t.Error("/healthz still answers after mend run returned")
	}
}
