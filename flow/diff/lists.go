package diff

import (
	"github.com/identoflow/identoflow/flow"
)

// keyedList describes a list whose items are matched by a key member.
type keyedList struct {
	subject Subject
	keyName string // the member that identifies an item: "key", or "type" for KYB fields
	renames bool   // an item equal but for its key is a rename
	body    func(d *differ, s scope, ov, nv *flow.Value)
}

// list compares two lists item by item: removed items, then the new list
// in order with its additions, moves and renames, and the changes inside
// each item that both lists have.
func (d *differ) list(kl keyedList, s scope, ov, nv *flow.Value) {
	keyed := func(list *flow.Value) []item {
		out := make([]item, list.Len())
		for i, v := range list.Items() {
			k, _ := v.Get(kl.keyName).Str()
			out[i] = item{v: v, key: k, index: i}
		}
		return out
	}
	olds, news := keyed(ov), keyed(nv)
	var same func(a, b *flow.Value) bool
	var hash func(*flow.Value) uint64
	if kl.renames {
		same = func(a, b *flow.Value) bool { return equalExcept(a, b, kl.keyName) }
		hash = func(v *flow.Value) uint64 { return d.h.value(v, kl.keyName) }
	}
	p := pairItems(olds, news, same, hash)
	var pairs [][2]int
	for i, j := range p.oldMatch {
		d.paths[index(s.oldPath, i)] = ""
		if j >= 0 {
			d.paths[index(s.oldPath, i)] = index(s.newPath, j)
			pairs = append(pairs, [2]int{i, j})
		}
	}
	movedNew := make([]bool, len(news))
	for k, m := range moved(pairs) {
		movedNew[pairs[k][1]] = m
	}
	for i, it := range olds {
		if p.oldMatch[i] < 0 {
			d.add(Change{Kind: Removed, Subject: kl.subject, Where: with(s.where, Locator{kl.subject, it.key}),
				OldPath: index(s.oldPath, i), From: i + 1, Old: it.v})
		}
	}
	for j, it := range news {
		where := with(s.where, Locator{kl.subject, it.key})
		np := index(s.newPath, j)
		i := p.newMatch[j]
		if i < 0 {
			d.add(Change{Kind: Added, Subject: kl.subject, Where: where, NewPath: np, To: j + 1, New: it.v})
			continue
		}
		op := index(s.oldPath, i)
		c := Change{Subject: kl.subject, Where: where, OldPath: op, NewPath: np}
		if movedNew[j] {
			c.From, c.To = i+1, j+1
		}
		switch {
		case p.renamed[j]:
			c.Kind, c.OldWhere = Renamed, with(s.where, Locator{kl.subject, olds[i].key})
			d.add(c)
		case movedNew[j]:
			c.Kind = Moved
			d.add(c)
		}
		if !flow.Equal(olds[i].v, it.v) {
			kl.body(d, scope{where: where, oldPath: op, newPath: np, operator: s.operator}, olds[i].v, it.v)
		}
	}
}

var (
	questionList = keyedList{subject: SubjectQuestion, keyName: "key", renames: true, body: (*differ).question}
	optionList   = keyedList{subject: SubjectOption, keyName: "key", renames: true, body: (*differ).option}
	kybFieldList = keyedList{subject: SubjectKYBField, keyName: "type", body: (*differ).kybField}
)

func (d *differ) questions(s scope, ov, nv *flow.Value) { d.list(questionList, s, ov, nv) }

func (d *differ) kybFields(s scope, ov, nv *flow.Value) { d.list(kybFieldList, s, ov, nv) }

// question compares the members of a matched question.
func (d *differ) question(s scope, ov, nv *flow.Value) {
	d.members(s, ov, nv, flow.QuestionFields(), "key", "options", optionList)
}

// option compares the members of a matched option.
func (d *differ) option(s scope, ov, nv *flow.Value) {
	d.members(s, ov, nv, flow.OptionSpecs(), "key", "", keyedList{})
}

// kybField compares the members of a matched KYB field (its mandatory).
func (d *differ) kybField(s scope, ov, nv *flow.Value) {
	d.members(s, ov, nv, flow.KYBFieldSpecs(), "type", "", keyedList{})
}

// members compares the members of a matched object: its identity member
// keyName (whose difference is a rename, or none), texts, the keyed list
// named listName, known properties and unknown values.
func (d *differ) members(s scope, ov, nv *flow.Value, known []flow.FieldSpec, keyName, listName string, kl keyedList) {
	eachMember(ov, nv, func(name string, a, b *flow.Value) {
		m := s.member(name)
		switch {
		case name == keyName && stringOrAbsent(a) && stringOrAbsent(b):
		case isText(name):
			d.text(name, m, a, b)
		case name == listName && listOrAbsent(a, b):
			d.list(kl, m, a, b)
		case defines(known, name):
			d.valueChange(SubjectProperty, name, m, a, b)
		default:
			d.valueChange(SubjectValue, name, m, a, b)
		}
	})
}

// roles compares a beneficiaries step's roles: a role switched on or off,
// its verification, its fields.
func (d *differ) roles(s scope, ov, nv *flow.Value) {
	known := flow.RoleSpecs()
	eachMember(ov, nv, func(role string, a, b *flow.Value) {
		rs := s.member(role)
		rs.where = with(s.where, Locator{SubjectRole, role})
		if !a.Is(flow.Object) || !b.Is(flow.Object) {
			d.valueChange(SubjectRole, "", rs, a, b)
			return
		}
		d.members(rs, a, b, known, "", "fields", kybFieldList)
	})
}
