package mqttwire

import (
	"fmt"
	"reflect"
)

// packetDiff describes the first difference between two packets, or returns
// "" when they are equal. With wire set, the decoded-only wire facts (Fixed
// headers, Properties.Length) count; without it they are ignored, as when a
// packet built in code is compared with its decoded self. An empty slice
// equals a nil one either way.
func packetDiff(got, want Packet, wire bool) string {
	if got == nil || want == nil {
		if got == nil && want == nil {
			return ""
		}
		return fmt.Sprintf("got %#v, want %#v", got, want)
	}
	return valueDiff(reflect.ValueOf(got), reflect.ValueOf(want), fmt.Sprintf("%T", want), wire)
}

var (
	fixedHeaderType = reflect.TypeFor[FixedHeader]()
	propertiesType  = reflect.TypeFor[Properties]()
)

func valueDiff(g, w reflect.Value, path string, wire bool) string {
	if g.Type() != w.Type() {
		return fmt.Sprintf("%s: got type %v, want %v", path, g.Type(), w.Type())
	}
	switch g.Kind() {
	case reflect.Pointer, reflect.Interface:
		if g.IsNil() || w.IsNil() {
			if g.IsNil() != w.IsNil() {
				return fmt.Sprintf("%s: got nil %v, want nil %v", path, g.IsNil(), w.IsNil())
			}
			return ""
		}
		return valueDiff(g.Elem(), w.Elem(), path, wire)
	case reflect.Struct:
		if !wire && g.Type() == fixedHeaderType {
			return ""
		}
		for i := range g.NumField() {
			name := g.Type().Field(i).Name
			if !wire && g.Type() == propertiesType && name == "Length" {
				continue
			}
			if d := valueDiff(g.Field(i), w.Field(i), path+"."+name, wire); d != "" {
				return d
			}
		}
		return ""
	case reflect.Slice:
		if g.Len() != w.Len() {
			return fmt.Sprintf("%s: got %d elements %v, want %d %v", path, g.Len(), g, w.Len(), w)
		}
		for i := range g.Len() {
			if d := valueDiff(g.Index(i), w.Index(i), fmt.Sprintf("%s[%d]", path, i), wire); d != "" {
				return d
			}
		}
		return ""
	case reflect.String:
		if g.String() != w.String() {
			return fmt.Sprintf("%s: got %q, want %q", path, g.String(), w.String())
		}
	case reflect.Bool:
		if g.Bool() != w.Bool() {
			return fmt.Sprintf("%s: got %v, want %v", path, g.Bool(), w.Bool())
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if g.Int() != w.Int() {
			return fmt.Sprintf("%s: got %d, want %d", path, g.Int(), w.Int())
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if g.Uint() != w.Uint() {
			return fmt.Sprintf("%s: got %#x, want %#x", path, g.Uint(), w.Uint())
		}
	default:
		panic(fmt.Sprintf("packetDiff: %s has unexpected kind %v", path, g.Kind()))
	}
	return ""
}
