package sessionfile

import (
	"encoding/json"
	"testing"
)

// TestSpecSource keeps the API description's source under "reqsh" as
// "spec", reads it back, and writes no key at all when there is none.
func TestSpecSource(t *testing.T) {
	for _, spec := range []string{"/home/me/api/openapi.yaml", "http://127.0.0.1:8080/openapi.json", ""} {
		data, err := Encode(&State{Spec: spec})
		if err != nil {
			t.Fatal(err)
		}
		var f struct {
			Reqsh map[string]json.RawMessage `json:"reqsh"`
		}
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatal(err)
		}
		raw, ok := f.Reqsh["spec"]
		switch {
		case spec == "" && ok:
			t.Errorf("no description, yet the file has \"spec\": %s", raw)
		case spec != "" && string(raw) != `"`+spec+`"`:
			t.Errorf("\"spec\" = %s, want %q in:\n%s", raw, spec, data)
		}
		st, err := Decode(data, Defaults{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Spec != spec {
			t.Errorf("decoded spec = %q, want %q", st.Spec, spec)
		}
	}
}
