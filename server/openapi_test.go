package server

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"sanshen/review"
)

type openAPIDocument struct {
	OpenAPI    string                                `json:"openapi"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
			Required   []string                   `json:"required"`
		} `json:"schemas"`
	} `json:"components"`
}

func loadOpenAPI(t *testing.T, raw []byte) openAPIDocument {
	t.Helper()
	var doc openAPIDocument
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("openapi.json is not OpenAPI 3: %q", doc.OpenAPI)
	}
	return doc
}

// TestOpenAPICoversRoutes: every route the server registers is in the
// document, and the document names no route the server lacks.
func TestOpenAPICoversRoutes(t *testing.T) {
	e := newTestEnv(t)
	served := e.must(http.StatusOK, "", "GET", "/api/v1/openapi.json", nil)
	doc := loadOpenAPI(t, served.Raw)
	registered := map[string]bool{}
	for _, rt := range apiRoutes {
		key := strings.ToLower(rt.Method) + " " + rt.Pattern
		registered[key] = true
		if _, ok := doc.Paths[rt.Pattern][strings.ToLower(rt.Method)]; !ok {
			t.Errorf("route %s %s is not in openapi.json", rt.Method, rt.Pattern)
		}
	}
	for p, ops := range doc.Paths {
		for m := range ops {
			if !registered[m+" "+p] {
				t.Errorf("openapi.json documents %s %s, which the server does not serve", strings.ToUpper(m), p)
			}
		}
	}
	// Every $ref resolves.
	for _, ref := range findRefs(served.Raw) {
		name := strings.TrimPrefix(ref, "#/components/schemas/")
		if _, ok := doc.Components.Schemas[name]; !ok {
			t.Errorf("dangling $ref %s", ref)
		}
	}
}

func findRefs(raw []byte) []string {
	var refs []string
	s := string(raw)
	for {
		i := strings.Index(s, `"$ref": "`)
		if i < 0 {
			return refs
		}
		s = s[i+len(`"$ref": "`):]
		refs = append(refs, s[:strings.IndexByte(s, '"')])
	}
}

// TestOpenAPIMatchesAnswers compares real answers with the schemas: no
// undocumented field, no missing required one.
func TestOpenAPIMatchesAnswers(t *testing.T) {
	e := newTestEnv(t)
	doc := loadOpenAPI(t, openAPIDoc)
	check := func(schema string, obj map[string]any) {
		t.Helper()
		s, ok := doc.Components.Schemas[schema]
		if !ok {
			t.Fatalf("no schema %s", schema)
		}
		var keys []string
		for k := range obj {
			keys = append(keys, k)
			if _, ok := s.Properties[k]; !ok {
				t.Errorf("%s: field %q is not documented", schema, k)
			}
		}
		sort.Strings(keys)
		for _, k := range s.Required {
			if !slices.Contains(keys, k) {
				t.Errorf("%s: required field %q missing from %v", schema, k, keys)
			}
		}
	}
	login := e.must(http.StatusOK, "", "POST", "/api/v1/login", map[string]string{"username": "sub", "password": testPassword})
	check("LoginResponse", login.JSON)
	check("User", login.JSON["user"].(map[string]any))
	id := e.submit("sub", map[string]any{"repost_from": "https://example.gov.cn/x"})
	dec := e.decide(http.StatusCreated, "rev", id, review.ActionApprove)
	check("DecisionResponse", dec.JSON)
	check("Decision", dec.JSON["decision"].(map[string]any))
	item := e.item("head", id)
	check("Item", item.JSON)
	check("VersionMeta", item.JSON["versions"].([]any)[0].(map[string]any))
	check("Approval", item.JSON["approvals"].([]any)[0].(map[string]any))
	check("SecrecyRoute", item.JSON["secrecy_routes"].([]any)[0].(map[string]any))
	check("Version", e.must(http.StatusOK, "head", "GET", "/api/v1/items/"+id+"/versions/1", nil).JSON)
	q := e.must(http.StatusOK, "head", "GET", "/api/v1/queue", nil)
	check("QueueResponse", q.JSON)
	check("QueueEntry", q.JSON["items"].([]any)[0].(map[string]any))
	e.decide(http.StatusCreated, "head", id, review.ActionApprove)
	removed := e.must(http.StatusOK, "head", "GET", "/api/v1/queue?since="+q.str("cursor"), nil)
	check("RemovedEntry", removed.JSON["items"].([]any)[0].(map[string]any))
	for _, ev := range e.events(id) {
		check("Event", ev)
	}
	cols := e.must(http.StatusOK, "sub", "GET", "/api/v1/columns", nil)
	for _, c := range cols.JSON["columns"].([]any) {
		check("Column", c.(map[string]any))
	}
	check("Error", e.do("sub", "GET", "/api/v1/items/none", nil).JSON)
}
