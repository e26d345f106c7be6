//! Inline schemas that describe the same thing become one type. Documents copy whole objects
//! into many places (GitHub inlines the same `repository`, `user` and `installation` objects in
//! each of its hundreds of webhook payloads), and a type per copy is most of what such a crate
//! would compile. Each copy keeps its name as a `type` alias of the first one. References from
//! other types are rewritten to the first one; operations keep theirs, so a method's body and
//! response types keep the operation's own names.

use std::collections::BTreeMap;

use crate::ir::{Api, Ty, TypeId, TypeKind};

/// Merges structurally equal inline types (same fields, wire names, types, constraints, defaults
/// and docs, after merging the types they mention). Component schemas are never merged: their
/// names are the document's. Returns how many types became aliases.
pub fn merge_inline_types(api: &mut Api) -> usize {
    let classes = equivalence_classes(api);
    // The first type of each class stands for it; the types are in document order, so the
    // representative is the copy met first.
    let mut first: BTreeMap<usize, TypeId> = BTreeMap::new();
    let mut target: Vec<Option<TypeId>> = vec![None; api.types.len()];
    for (i, class) in classes.iter().enumerate() {
        let rep = *first.entry(*class).or_insert(TypeId(i));
        if rep.0 != i {
            target[i] = Some(rep);
        }
    }
    let merged = target.iter().filter(|t| t.is_some()).count();
    if merged == 0 {
        return 0;
    }
    for (i, def) in api.types.iter_mut().enumerate() {
        if let Some(rep) = target[i] {
            def.kind = TypeKind::Alias(Ty::Named(rep));
            continue;
        }
        for_each_ty(&mut def.kind, |ty| remap_ty(ty, &target));
    }
    merged
}

/// Partition refinement: start with one class per shape (the type with the types it mentions
/// blanked out) and split classes by the classes of the mentioned types, until nothing splits. Two
/// types end in one class exactly when no finite unfolding tells them apart, so cycles merge
/// too. A component type is a class of its own from the start.
fn equivalence_classes(api: &Api) -> Vec<usize> {
    // What a signature holds besides the classes of mentioned types is computed once: the
    // shape with every mentioned type blanked, interned to a number, and the mentioned types
    // in order.
    // Shapes are text, written on all cores; a component's shape is its own.
    let described = crate::parallel::in_parallel(&api.types, |def| {
        let mut kind = def.kind.clone();
        let mut named = Vec::new();
        for_each_ty(&mut kind, |ty| blank_ty(ty, &mut named));
        strip_boxes(&mut kind);
        let shape = def.wire_name.is_none().then(|| format!("{:?} {:?} {:?}", def.view, def.docs, kind));
        (shape, named)
    });
    let mut shapes: BTreeMap<String, usize> = BTreeMap::new();
    let mut statics = Vec::with_capacity(api.types.len());
    let mut mentions = Vec::with_capacity(api.types.len());
    for (i, (shape, named)) in described.into_iter().enumerate() {
        let shape = shape.unwrap_or_else(|| format!("component {i}"));
        let len = shapes.len();
        statics.push(*shapes.entry(shape).or_insert(len));
        mentions.push(named);
    }
    let mut classes = statics.clone();
    let mut count = shapes.len();
    loop {
        let mut signatures: BTreeMap<(usize, Vec<usize>), usize> = BTreeMap::new();
        let mut next = Vec::with_capacity(classes.len());
        for (shape, named) in statics.iter().zip(&mentions) {
            let key = (*shape, named.iter().map(|id| classes[*id]).collect());
            let len = signatures.len();
            next.push(*signatures.entry(key).or_insert(len));
        }
        classes = next;
        if signatures.len() == count {
            return classes;
        }
        count = signatures.len();
    }
}

/// Calls `f` on each type expression a type's shape holds.
fn for_each_ty(kind: &mut TypeKind, mut f: impl FnMut(&mut Ty)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            s.additional.iter_mut().for_each(f);
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) | TypeKind::NullableAlias(ty) => f(ty),
        TypeKind::Enum(_) => {}
    }
}

/// Boxes are decided after merging, from the merged graph's cycles.
fn strip_boxes(kind: &mut TypeKind) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| f.boxed = false),
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| v.boxed = false),
        _ => {}
    }
}

/// Blanks each named type, collecting it, for signatures.
fn blank_ty(ty: &mut Ty, named: &mut Vec<usize>) {
    match ty {
        Ty::Named(id) => named.push(std::mem::replace(id, TypeId(0)).0),
        Ty::Vec(inner) | Ty::Map(inner) => blank_ty(inner, named),
        _ => {}
    }
}

/// Points references to merged types at their representatives.
fn remap_ty(ty: &mut Ty, target: &[Option<TypeId>]) {
    match ty {
        Ty::Named(id) => {
            if let Some(rep) = target[id.0] {
                *id = rep;
            }
        }
        Ty::Vec(inner) | Ty::Map(inner) => remap_ty(inner, target),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{Api, Ty, TypeKind};

    fn lower() -> Api {
        let doc = include_str!("../../../spec/edge/copies.yaml");
        crate::lower::from_text(doc, true)
    }

    /// The name of the type `name` is an alias of, or `None` when it is not a merged copy.
    fn alias_of(api: &Api, name: &str) -> Option<String> {
        let def = api.types.iter().find(|t| t.name == name).unwrap_or_else(|| panic!("{name} exists"));
        match &def.kind {
            TypeKind::Alias(Ty::Named(id)) => Some(api.ty(*id).name.clone()),
            _ => None,
        }
    }

    #[test]
    fn copies_become_aliases_of_the_first() {
        let api = lower();
        assert_eq!(alias_of(&api, "PushEventRepository").as_deref(), Some("IssueEventRepository"));
        assert_eq!(alias_of(&api, "PushEventRepositoryOwner").as_deref(), Some("IssueEventRepositoryOwner"));
        assert_eq!(alias_of(&api, "PushEventRepositoryOwnerKind").as_deref(), Some("IssueEventRepositoryOwnerKind"));
        assert_eq!(alias_of(&api, "StarEventRepositoryOwner").as_deref(), Some("IssueEventRepositoryOwner"));
        assert_eq!(alias_of(&api, "AddRepoLabelsBody").as_deref(), Some("AddOrgLabelsBody"));
        assert_eq!(alias_of(&api, "IssueEventRepository"), None);
    }

    #[test]
    fn docs_and_components_tell_types_apart() {
        let api = lower();
        assert_eq!(alias_of(&api, "StarEventRepository"), None, "its description differs");
        assert_eq!(alias_of(&api, "Tag"), None, "component schemas keep their own types");
        assert_eq!(alias_of(&api, "AddRepoLabelsResponse200"), None, "it holds Tags, not Labels");
    }

    #[test]
    fn types_point_at_the_first_copy_and_operations_keep_their_names() {
        let api = lower();
        let push = api.types.iter().find(|t| t.name == "PushEvent").expect("PushEvent exists");
        let TypeKind::Struct(s) = &push.kind else { panic!("PushEvent is a struct") };
        assert!(matches!(s.fields[0].ty, Ty::Named(id) if api.ty(id).name == "IssueEventRepository"));
        let op = api.operations.iter().find(|o| o.id == "addRepoLabels").expect("the operation exists");
        let body = op.body.as_ref().and_then(|b| b.contents[0].ty.as_ref());
        assert!(matches!(body, Some(Ty::Named(id)) if api.ty(*id).name == "AddRepoLabelsBody"));
    }

    #[test]
    fn a_copy_compiles_with_the_type_it_names() {
        let api = lower();
        let features = |name: &str| {
            let def = api.types.iter().find(|t| t.name == name).expect("the type exists");
            def.features.iter().map(|f| api.features[f.0].name.as_str()).collect::<Vec<_>>()
        };
        // No operation reaches PushEventRepositoryOwner any more (PushEvent's fields name the
        // first copy), yet its name compiles wherever that copy does, not only with
        // `standalone-schemas`.
        assert_eq!(features("IssueEventRepositoryOwner"), ["tag-repos"]);
        assert_eq!(features("PushEventRepositoryOwner"), ["tag-repos"]);
    }
}
