package config

import (
	"strings"
	"testing"
)

func TestMetricsConfigIsChecked(t *testing.T) {
	t.Parallel()
	for src, want := range map[string]string{
		"[metrics]\nlisten = \"9464\"\n":                                `bad.toml:2: metrics.listen "9464"`,
		"[metrics]\nlisten = \"localhost:http\"\n":                      `bad.toml:2: metrics.listen "localhost:http"`,
		"[metrics]\n\nmax_post_delay = \"soon\"\n":                      `bad.toml:3: metrics.max_post_delay "soon"`,
		"[metrics]\nmax_post_delay = \"-5m\"\n":                         `bad.toml:2: metrics.max_post_delay "-5m"`,
		"[metrics]\nlisten = \"127.0.0.1:99999\"\n":                     `bad.toml:2: metrics.listen`,
		"[metrics]\nlisten = \"127.0.0.1:9464:1\"\n":                    `bad.toml:2: metrics.listen`,
		"[metrics]\nlisten = \"[::1]:9464\"\nmax_post_delay = \"1h\"\n": "",
	} {
		_, err := ParseConfig("bad.toml", []byte(src))
		switch {
		case want == "" && err != nil:
			t.Errorf("%q refused: %v", src, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%q: error %v, want one holding %q", src, err, want)
		}
	}
}
