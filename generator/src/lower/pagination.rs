//! Recognizes list operations whose pages can be walked, from the shape of the operation alone
//! (no API is named here): the page's items, and how the next page is found.

use crate::ir::{
    Field, HttpMethod, Operation, PageField, Pagination, PaginationKind, ParamLocation, Status, Struct, Ty, TypeDef,
    TypeKind,
};

/// Response fields that hold the URL of the next page.
const NEXT_URL_FIELDS: &[&str] =
    &["next", "next_url", "nextUrl", "nextLink", "next_link", "@odata.nextLink", "next_page_url"];
/// Response fields that hold the token of the next page, and the query parameters it goes into.
const CURSOR_FIELDS: &[&str] =
    &["next_cursor", "nextCursor", "next_page_token", "nextPageToken", "next_token", "nextToken", "cursor"];
const CURSOR_PARAMS: &[&str] =
    &["cursor", "page_token", "pageToken", "next_token", "nextToken", "after", "starting_after", "continuation_token"];
/// Response fields that hold the items of a page, in order of preference.
const ITEM_FIELDS: &[&str] = &["results", "items", "data", "value", "entries", "records", "elements", "list"];

fn resolve<'t>(types: &'t [TypeDef], ty: &Ty) -> Option<&'t TypeKind> {
    let mut ty = ty;
    for _ in 0..8 {
        match ty {
            Ty::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(inner) => ty = inner,
                kind => return Some(kind),
            },
            _ => return None,
        }
    }
    None
}

/// How many aliases in a row are followed (`type A = B; type B = Vec<C>`) before the chain counts
/// as a loop. Pagination is detected before `schemas::box_cycles` breaks alias cycles, so
/// `A: {$ref: B}`, `B: {$ref: A}` is still a loop here.
const MAX_ALIASES: usize = 64;

/// What `ty` stands for once aliases are followed; `None` for a loop of aliases.
fn unalias<'t>(types: &'t [TypeDef], mut ty: &'t Ty) -> Option<&'t Ty> {
    for _ in 0..MAX_ALIASES {
        match ty {
            Ty::Named(id) => match &types[id.0].kind {
                TypeKind::Alias(inner) => ty = inner,
                _ => return Some(ty),
            },
            _ => return Some(ty),
        }
    }
    None
}

fn array_item(types: &[TypeDef], ty: &Ty) -> Option<Ty> {
    match unalias(types, ty)? {
        Ty::Vec(item) => Some((**item).clone()),
        _ => None,
    }
}

fn is_text(types: &[TypeDef], ty: &Ty) -> bool {
    matches!(unalias(types, ty), Some(Ty::String))
}

/// The items field of a page object: a preferred name, or the only array field.
fn items_field(types: &[TypeDef], s: &Struct) -> Option<(PageField, Ty)> {
    let arrays: Vec<(&Field, Ty)> =
        s.fields.iter().filter_map(|f| array_item(types, &f.ty).map(|item| (f, item))).collect();
    for wire in ITEM_FIELDS {
        if let Some((f, item)) = arrays.iter().find(|(f, _)| f.wire_name == *wire) {
            return Some((page_field(f), item.clone()));
        }
    }
    match arrays.as_slice() {
        [(f, item)] => Some((page_field(f), item.clone())),
        _ => None,
    }
}

fn page_field(f: &Field) -> PageField {
    PageField { name: f.name.clone(), presence: f.presence }
}

/// The pagination of an operation, if its success response is a page.
pub(crate) fn detect(types: &[TypeDef], op: &Operation) -> Option<Pagination> {
    if op.method != HttpMethod::Get {
        return None;
    }
    let response = op.responses.iter().find(|r| matches!(r.status, Status::Code(200..=299)))?;
    let Status::Code(status) = response.status else { return None };
    let body = response.contents.first()?.ty.as_ref()?;
    let param = |names: &[&str], integer: bool| {
        op.params
            .iter()
            .find(|p| p.location == ParamLocation::Query && names.contains(&p.wire_name.as_str()))
            .filter(|p| if integer { matches!(p.ty, Ty::I32 | Ty::I64) } else { is_text(types, &p.ty) })
            .map(|p| p.name.clone())
    };
    let query = |names: &[&str]| param(names, true);

    // The response is the array itself: pages are linked by header or numbered.
    if let Some(item) = array_item(types, body) {
        let has_link = response.headers.iter().any(|h| h.wire_name.eq_ignore_ascii_case("link"));
        let kind = match query(&["page"]) {
            Some(param) if !has_link => PaginationKind::Page { param },
            _ if has_link || param(&["per_page"], true).is_some() => PaginationKind::LinkHeader,
            _ => return None,
        };
        return Some(Pagination { kind, items: None, item, status, method: String::new() });
    }

    let Some(TypeKind::Struct(page)) = resolve(types, body) else { return None };
    let (items, item) = items_field(types, page)?;
    let field = |names: &[&str]| {
        names.iter().find_map(|n| page.fields.iter().find(|f| f.wire_name == *n && is_text(types, &f.ty)))
    };
    let kind = if let Some(f) = field(NEXT_URL_FIELDS) {
        PaginationKind::NextUrl { field: page_field(f) }
    } else if let (Some(f), Some(param)) = (field(CURSOR_FIELDS), param(CURSOR_PARAMS, false)) {
        PaginationKind::Cursor { field: page_field(f), param }
    } else if let Some(param) = query(&["offset", "skip", "start"]) {
        PaginationKind::Offset { param }
    } else if let Some(param) = query(&["page", "page_number", "pageNumber"]) {
        PaginationKind::Page { param }
    } else {
        return None;
    };
    Some(Pagination { kind, items: Some(items), item, status, method: String::new() })
}
