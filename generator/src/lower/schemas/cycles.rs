//! Cycles of types: Rust needs a `Box` where a type contains itself without indirection, and
//! rejects aliases that expand to themselves. Runs once every type exists (after deduplication).

use crate::error::Diagnostic;
use crate::ir::{Ty, TypeDef, TypeKind};

/// Marks fields and variants that close a cycle of direct containment as boxed, and breaks alias
/// cycles (which Rust rejects) with `serde_json::Value`.
pub(crate) fn box_cycles(types: &mut [TypeDef], diagnostics: &mut Vec<Diagnostic>) {
    // Alias cycles first: `type A = Vec<A>` or `type A = B; type B = A;` cannot compile. In
    // type order, an alias on a loop (in a strongly connected component of the alias graph with
    // another type, or referring to itself) becomes `Any`, which may break loops of types after
    // it. Components are found again only after such a change, so a long chain of aliases costs
    // a few passes, not a walk down the chain per link.
    let mut alias_edges: Vec<Vec<usize>> = types
        .iter()
        .map(|def| {
            let mut named = Vec::new();
            if let Some(ty) = alias_target(&def.kind) {
                named_in(ty, &mut named);
            }
            named
        })
        .collect();
    let mut components = Components::of(&alias_edges);
    for i in 0..types.len() {
        if components.size[components.of[i]] > 1 || alias_edges[i].contains(&i) {
            diagnostics.push(Diagnostic::warning(
                types[i].pointer.clone(),
                "this schema only refers to itself; it becomes serde_json::Value",
            ));
            types[i].kind = TypeKind::Alias(Ty::Any);
            alias_edges[i].clear();
            components = Components::of(&alias_edges);
        }
    }
    let edges: Vec<Vec<usize>> = types.iter().map(direct_edges).collect();
    let scc = tarjan(&edges);
    for (i, def) in types.iter_mut().enumerate() {
        let same = |ty: &Ty| matches!(ty, Ty::Named(t) if scc[t.0] == scc[i]);
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for f in &mut s.fields {
                    f.boxed = same(&f.ty);
                }
            }
            TypeKind::Union(u) => {
                for v in &mut u.variants {
                    v.boxed = same(&v.ty);
                }
            }
            _ => {}
        }
    }
}

/// The type an alias stands for.
fn alias_target(kind: &TypeKind) -> Option<&Ty> {
    match kind {
        TypeKind::Alias(ty) | TypeKind::NullableAlias(ty) => Some(ty),
        _ => None,
    }
}

/// The strongly connected components of a graph: each node's component, and each component's
/// size.
struct Components {
    of: Vec<usize>,
    size: Vec<usize>,
}

impl Components {
    fn of(edges: &[Vec<usize>]) -> Self {
        let of = tarjan(edges);
        let mut size = vec![0; edges.len()];
        for &c in &of {
            size[c] += 1;
        }
        Self { of, size }
    }
}

/// The named types in a type expression, through `Vec` and maps.
fn named_in(ty: &Ty, out: &mut Vec<usize>) {
    match ty {
        Ty::Named(id) => out.push(id.0),
        Ty::Vec(inner) | Ty::Map(inner) => named_in(inner, out),
        _ => {}
    }
}

/// Types a type contains without indirection (not through Vec or a map).
fn direct_edges(def: &TypeDef) -> Vec<usize> {
    let direct = |ty: &Ty| match ty {
        Ty::Named(id) => Some(id.0),
        _ => None,
    };
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().filter_map(|f| direct(&f.ty)).collect(),
        TypeKind::Union(u) => u.variants.iter().filter_map(|v| direct(&v.ty)).collect(),
        TypeKind::Alias(ty) | TypeKind::NullableAlias(ty) => direct(ty).into_iter().collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Strongly connected components (Tarjan, iterative); returns each node's component number.
fn tarjan(edges: &[Vec<usize>]) -> Vec<usize> {
    let n = edges.len();
    let mut index = vec![usize::MAX; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut comp = vec![usize::MAX; n];
    let mut next_index = 0;
    let mut next_comp = 0;
    for root in 0..n {
        if index[root] != usize::MAX {
            continue;
        }
        let mut call: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&mut (v, ref mut ei)) = call.last_mut() {
            if *ei == 0 && index[v] == usize::MAX {
                index[v] = next_index;
                low[v] = next_index;
                next_index += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if *ei < edges[v].len() {
                let w = edges[v][*ei];
                *ei += 1;
                if index[w] == usize::MAX {
                    call.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
            } else {
                call.pop();
                if let Some(&(parent, _)) = call.last() {
                    low[parent] = low[parent].min(low[v]);
                }
                if low[v] == index[v] {
                    while let Some(w) = stack.pop() {
                        on_stack[w] = false;
                        comp[w] = next_comp;
                        if w == v {
                            break;
                        }
                    }
                    next_comp += 1;
                }
            }
        }
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::super::{fields_of, lower_yaml, type_named};
    use crate::ir::{Docs, Ty, TypeDef, TypeId, TypeKind, View};

    const DOC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
paths: {}
components:
  schemas:
    Node:
      type: object
      properties:
        value: {type: string}
        next: {$ref: "#/components/schemas/Node"}
        children: {type: array, items: {$ref: "#/components/schemas/Node"}}
        owner: {$ref: "#/components/schemas/Tree"}
    Tree:
      type: object
      properties:
        root: {$ref: "#/components/schemas/Node"}
    Loop:
      type: array
      items: {$ref: "#/components/schemas/Loop"}
"##;

    #[test]
    fn direct_containment_cycles_are_boxed_and_vec_is_not() {
        let (api, _) = lower_yaml(DOC);
        let boxed = |name| -> Vec<(String, bool)> {
            fields_of(&api, name).iter().map(|f| (f.wire_name.clone(), f.boxed)).collect()
        };
        let expected = [("children", false), ("next", true), ("owner", true), ("value", false)];
        assert_eq!(boxed("Node"), expected.map(|(w, b)| (w.to_owned(), b)));
        assert_eq!(boxed("Tree"), [("root".to_owned(), true)], "Node and Tree contain each other");
    }

    #[test]
    fn a_long_loop_of_aliases_is_broken_once_without_walking_it_per_link() {
        // Found by the fuzzer: 20,000 schemas `ChainN: {allOf: [$ref: ChainN+1]}` took minutes
        // (a walk down the chain from every link) and recursed as deep as the chain.
        let n = 100_000;
        let mut types: Vec<TypeDef> = (0..n)
            .map(|i| TypeDef {
                name: format!("Chain{i}"),
                wire_name: None,
                pointer: format!("#/components/schemas/Chain{i}"),
                view: View::Both,
                docs: Docs::default(),
                kind: TypeKind::Alias(Ty::Vec(Box::new(Ty::Named(TypeId((i + 1) % n))))),
                features: Vec::new(),
                derives: Vec::new(),
                attributes: Vec::new(),
            })
            .collect();
        let mut diagnostics = Vec::new();
        super::box_cycles(&mut types, &mut diagnostics);
        let pointers: Vec<&str> = diagnostics.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(pointers, ["#/components/schemas/Chain0"], "the first link breaks the loop");
        assert_eq!(types[0].kind, TypeKind::Alias(Ty::Any));
        assert_eq!(types[1].kind, TypeKind::Alias(Ty::Vec(Box::new(Ty::Named(TypeId(2))))));
    }

    #[test]
    fn an_alias_of_itself_becomes_any_with_a_warning() {
        let (api, diagnostics) = lower_yaml(DOC);
        assert_eq!(type_named(&api, "Loop").kind, TypeKind::Alias(Ty::Any));
        assert!(
            diagnostics.iter().any(|d| d.pointer == "#/components/schemas/Loop"),
            "a warning points at Loop: {diagnostics:?}"
        );
    }
}
