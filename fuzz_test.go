package main

import (
	"os"
	"strings"
	"testing"

	"mend/config"
)

func FuzzParseConfig(f *testing.F) {
	example, err := os.ReadFile("config.example.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(example))
	f.Add("[checkins]\ntime_zone = \"Europe/Berlin\"\n")
	f.Add("[[template]]\nid = \"t\"\n[[template.prompt]]\nid = \"p\"\nkind = \"scale\"\ntext = \"x\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, err := config.ParseConfig("fuzz.toml", []byte(src))
		if err != nil {
			// Every refusal names the file, so a person knows where to look.
			if !strings.Contains(err.Error(), "fuzz.toml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		if cfg.CheckInTemplates() == nil || cfg.Window() <= 0 || cfg.Database.Path == "" {
			t.Fatalf("accepted config without defaults: %+v", cfg)
		}
		if _, ok := cfg.CheckInTemplates().Get(cfg.CheckIns.DefaultTemplate); !ok {
			t.Fatalf("default template %q is not a template", cfg.CheckIns.DefaultTemplate)
		}
	})
}
