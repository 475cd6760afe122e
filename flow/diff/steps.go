package diff

import (
	"slices"

	"github.com/identoflow/identoflow/flow"
)

// stepEntry is a step of the flattened session: each top-level step
// followed by the steps of its "steps" list (a video call's). Step keys are
// unique across the session, so steps match by key wherever they stand,
// and a step that moves into or out of a video call is one move.
type stepEntry struct {
	item
	parent int // the entry of the video call holding it; -1 at the top level
	path   string
}

func flatten(list *flow.Value) []stepEntry {
	var out []stepEntry
	for i, v := range list.Items() {
		s := flow.Step{V: v}
		at := len(out)
		path := index("/steps", i)
		out = append(out, stepEntry{item{v: v, key: s.EffectiveKey(), index: i}, -1, path})
		for j, n := range s.StepsValue().Items() {
			out = append(out, stepEntry{item{v: n, key: flow.Step{V: n}.EffectiveKey(), index: j}, at, index(path+"/steps", j)})
		}
	}
	return out
}

func items(es []stepEntry) []item {
	out := make([]item, len(es))
	for i, e := range es {
		out[i] = e.item
	}
	return out
}

// whereOf returns the locators of entry k: its video call's, then its own.
func whereOf(es []stepEntry, k int) []Locator {
	if p := es[k].parent; p >= 0 {
		return []Locator{{SubjectStep, es[p].key}, {SubjectStep, es[k].key}}
	}
	return []Locator{{SubjectStep, es[k].key}}
}

// steps compares the step lists.
func (d *differ) steps(ov, nv *flow.Value) {
	olds, news := flatten(ov), flatten(nv)
	p := pairItems(items(olds), items(news),
		func(a, b *flow.Value) bool { return equalExcept(a, b, "key", "steps") },
		func(v *flow.Value) uint64 { return d.h.value(v, "key", "steps") })
	for i, e := range olds {
		d.paths[e.path] = ""
		if j := p.oldMatch[i]; j >= 0 {
			d.paths[e.path] = news[j].path
		}
	}
	// The list a matched step is in now, seen from the old side: its old
	// video call's match (-2 when that call is gone).
	sameList := func(i, j int) bool {
		par := olds[i].parent
		if par >= 0 {
			par = p.oldMatch[par]
			if par < 0 {
				par = -2
			}
		}
		return par == news[j].parent
	}
	// Moves within each list: the steps that left the longest run in order.
	byList := map[int][][2]int{}
	for i, j := range p.oldMatch {
		if j >= 0 && sameList(i, j) {
			byList[news[j].parent] = append(byList[news[j].parent], [2]int{olds[i].index, j})
		}
	}
	movedNew := make([]bool, len(news))
	for _, pairs := range byList {
		for k, m := range moved(pairs) {
			movedNew[pairs[k][1]] = m
		}
	}

	// Removed steps, by the list they leave: the top level (-1) or the
	// new entry of their video call. Steps of a removed video call go with
	// it; those of a call still there are removed one by one.
	removed := map[int][]int{}
	for i, e := range olds {
		switch {
		case p.oldMatch[i] >= 0:
		case e.parent < 0:
			removed[-1] = append(removed[-1], i)
		case p.oldMatch[e.parent] >= 0:
			removed[p.oldMatch[e.parent]] = append(removed[p.oldMatch[e.parent]], i)
		}
	}
	remove := func(list int) {
		for _, i := range removed[list] {
			e := olds[i]
			d.add(Change{Kind: Removed, Subject: SubjectStep, Where: whereOf(olds, i), OldPath: e.path, From: e.index + 1, Old: e.v})
		}
	}
	remove(-1)
	for j, e := range news {
		if e.parent >= 0 && p.newMatch[e.parent] < 0 && p.newMatch[j] < 0 {
			continue // added with its video call
		}
		d.step(olds, news, p, j, movedNew[j] || (p.newMatch[j] >= 0 && !sameList(p.newMatch[j], j)))
		if e.parent < 0 {
			remove(j)
		}
	}
}

// step records what happened to new step j and compares its members.
func (d *differ) step(olds, news []stepEntry, p pairing, j int, moved bool) {
	e := news[j]
	where := whereOf(news, j)
	i := p.newMatch[j]
	if i < 0 {
		d.add(Change{Kind: Added, Subject: SubjectStep, Where: where, NewPath: e.path, To: e.index + 1, New: e.v})
		return
	}
	o := olds[i]
	c := Change{Subject: SubjectStep, Where: where, OldPath: o.path, NewPath: e.path}
	if moved {
		c.From, c.To = o.index+1, e.index+1
	}
	oldWhere := whereOf(olds, i)
	if !slices.Equal(oldWhere, where) {
		c.OldWhere = oldWhere
	}
	switch {
	case p.renamed[j]:
		c.Kind = Renamed
		d.add(c)
	case moved:
		c.Kind = Moved
		d.add(c)
	}
	if !flow.Equal(o.v, e.v) {
		// A top-level step's "steps" list was flattened into the session
		// and is compared there.
		d.stepMembers(scope{where: where, oldPath: o.path, newPath: e.path}, o.v, e.v, e.parent < 0)
	}
}

// stepMembers compares the members of a matched step.
func (d *differ) stepMembers(s scope, ov, nv *flow.Value, flattened bool) {
	oldType, newType := flow.Step{V: ov}.Type(), flow.Step{V: nv}.Type()
	s.operator = newType == "operator-questionnaire"
	known := stepFields(oldType, newType)
	eachMember(ov, nv, func(name string, a, b *flow.Value) {
		m := s.member(name)
		switch {
		case name == "key" && stringOrAbsent(a) && stringOrAbsent(b):
			// A key's difference is a rename, or none (the default key
			// written out).
		case name == "steps" && flattened && listOrAbsent(a, b):
		case isText(name):
			d.text(name, m, a, b)
		case name == "flags" && objectOrAbsent(a, b):
			d.flags(m, a, b)
		case name == "fields" && listOrAbsent(a, b):
			d.kybFields(m, a, b)
		case name == "roles" && objectOrAbsent(a, b):
			d.roles(m, a, b)
		case name == "questions" && listOrAbsent(a, b):
			d.questions(m, a, b)
		case defines(known, name):
			d.valueChange(SubjectProperty, name, m, a, b)
		default:
			d.valueChange(SubjectValue, name, m, a, b)
		}
	})
}

// stepFields returns the members either step type defines.
func stepFields(types ...string) []flow.FieldSpec {
	var out []flow.FieldSpec
	for _, t := range types {
		if spec, ok := flow.LookupStep(t); ok {
			out = append(out, spec.StepFields()...)
		}
	}
	return out
}
