//! Bad configurations, each with its exact message, and what good ones change.

use std::path::Path;

use crate::error::Error;
use crate::settings::Settings;

fn posthog() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/posthog-organizations.yaml");
    std::fs::read_to_string(path).expect("the PostHog document")
}

/// A document with a float, an enum and an operation of each kind the tests need.
const SMALL: &str = r##"
openapi: 3.0.3
info: {title: small, version: "1"}
paths:
  /points:
    get:
      operationId: list_points
      tags: [points]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Point"}}
  /labels:
    get:
      operationId: list_labels
      tags: [labels]
      deprecated: true
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Label"}}
components:
  schemas:
    Point:
      type: object
      required: [x]
      properties:
        x: {type: number}
        tag: {$ref: "#/components/schemas/Tag"}
    Label:
      type: object
      properties:
        text: {type: string}
    Tag:
      type: string
      enum: [red, green]
    Unused:
      type: object
      properties:
        n: {type: integer}
"##;

/// The problems `toml` has with `doc`, each as `line N: key: message`.
fn problems_with(doc: &str, toml: &str) -> Vec<String> {
    let render = |problems: Vec<super::ConfigProblem>| problems.iter().map(ToString::to_string).collect();
    let config = match super::parse("oagen.toml", toml) {
        Ok(config) => config,
        Err(Error::Configuration { problems, .. }) => return render(problems),
        Err(other) => panic!("{other}"),
    };
    let mut settings = Settings::for_spec(Path::new("doc.yaml"));
    settings.configure(config, Some(("oagen.toml".to_owned(), toml.to_owned())));
    match crate::pipeline::generate(doc, &settings) {
        Err(Error::Configuration { problems, .. }) => render(problems),
        Err(other) => panic!("not a configuration error: {other}"),
        Ok(_) => Vec::new(),
    }
}

fn problems(toml: &str) -> Vec<String> {
    problems_with(&posthog(), toml)
}

#[test]
fn unknown_keys_and_wrong_types_are_refused_by_line() {
    assert_eq!(
        problems("client = true\ncolour = \"red\"\n"),
        [
            "line 2: unknown field `colour`, expected one of `crate-name`, `client`, `server`, `server-stubs`, `tag-features`, `select`, `replace`, `formats`, `models`, `types`, `operations`, `dependencies`"
        ]
    );
    assert_eq!(
        problems("[select]\ntags = [\"roles\"]\ntag = \"roles\"\n"),
        [
            "line 3: unknown field `tag`, expected one of `tags`, `operations`, `paths`, `exclude-tags`, `exclude-operations`, `exclude-paths`, `deprecated`, `keep-unused-schemas`"
        ]
    );
    assert_eq!(problems("server = \"yes\"\n"), ["line 1: invalid type: string \"yes\", expected a boolean"]);
    assert_eq!(problems("[types.Role]\nrename = 7\n"), ["line 2: invalid type: integer `7`, expected a string"]);
}

#[test]
fn names_the_document_lacks_are_refused_with_the_nearest() {
    assert_eq!(
        problems("[types.Rol]\nrename = \"OrgRole\"\n"),
        ["line 1: types.Rol: the document has no schema `Rol`; did you mean `Role`?"]
    );
    assert_eq!(
        problems("[replace]\n\"#/components/schemas/UserBasics\" = \"crate::User\"\n"),
        [
            "line 2: replace.\"#/components/schemas/UserBasics\": the document has no schema `UserBasics`; did you mean `UserBasic`?"
        ]
    );
    assert_eq!(
        problems("[operations.roles_lst]\nrename = \"list_roles\"\n"),
        [
            "line 1: operations.roles_lst: the document has no operation with operationId `roles_lst`; did you mean `roles_list`?"
        ]
    );
    assert_eq!(
        problems("[select]\ntags = [\"roles\", \"role\"]\n"),
        ["line 2: select.tags[1]: no operation has the tag `role`; did you mean `roles`?"]
    );
    assert_eq!(
        problems("[select]\npaths = [\"/api/organizations/*/role/**\"]\n"),
        ["line 2: select.paths[0]: `/api/organizations/*/role/**` matches no path"]
    );
    assert_eq!(
        problems("[types.Role.fields]\nnam = \"title\"\n"),
        ["line 2: types.Role.fields.nam: the schema has no property `nam`; did you mean `name`?"]
    );
    assert_eq!(
        problems("[types.ProxyRecordStatusEnum.variants]\nvalidd = \"Ok\"\n"),
        [
            "line 2: types.ProxyRecordStatusEnum.variants.validd: `validd` is not one of the enum's values; did you mean `valid`?"
        ]
    );
    assert_eq!(
        problems("[types.Role.variants]\nx = \"X\"\n"),
        ["line 1: types.Role.variants: the schema is not an enum (it has no `enum` list)"]
    );
}

#[test]
fn renames_that_collide_or_are_not_names_are_refused() {
    assert_eq!(
        problems("[types.Role]\nrename = \"Organization\"\n"),
        ["line 2: types.Role.rename: `Organization` is already the name of schema `Organization`"]
    );
    assert_eq!(
        problems("[types.Role]\nrename = \"Team\"\n[types.PatchedRole]\nrename = \"Team\"\n"),
        ["line 2: types.Role.rename: `Team` is also the new name of schema `PatchedRole`"]
    );
    assert_eq!(
        problems("[types.Role]\nrename = \"String\"\n"),
        ["line 2: types.Role.rename: `String` would shadow a type the generated code uses; pick another name"]
    );
    assert_eq!(
        problems("[operations.roles_list]\nrename = \"list roles\"\n"),
        [
            "line 2: operations.roles_list.rename: `list roles` is not a Rust identifier (ASCII letters, digits and `_`, not starting with a digit)"
        ]
    );
    assert_eq!(
        problems("[operations.roles_list]\nrename = \"roles_create\"\n"),
        ["line 2: operations.roles_list.rename: `roles_create` is already the method of operation `roles_create`"]
    );
    assert_eq!(
        problems("[operations.roles_list]\nrename = \"build\"\n"),
        ["line 2: operations.roles_list.rename: `build` is a method of the generated client or server"]
    );
    assert_eq!(
        problems("[types.Role.fields]\nname = \"type\"\n"),
        ["line 2: types.Role.fields.name: `type` is a Rust keyword"]
    );
}

#[test]
fn paths_derives_attributes_and_dependencies_are_checked() {
    assert_eq!(
        problems("[replace]\nUserBasic = \"crate::User<\"\n"),
        ["line 2: replace.UserBasic: `crate::User<` is not a Rust path (such as `crate::User`)"]
    );
    assert_eq!(
        problems("[formats]\nuuid = \"my uuid\"\n"),
        ["line 2: formats.uuid: `my uuid` is not a Rust path (such as `crate::User`)"]
    );
    assert_eq!(
        problems("[models]\nderive = [\"Hash\", \"Eq()\"]\nattributes = [\"non_exhaustive\"]\n"),
        [
            "line 2: models.derive[1]: `Eq()` is not a derive (a trait path such as `Hash`)",
            "line 3: models.attributes[0]: `non_exhaustive` is not one outer attribute (such as `#[non_exhaustive]`)",
        ]
    );
    assert_eq!(
        problems("[dependencies]\nserde = \"1\"\n\"my crate\" = \"1\"\n"),
        [
            "line 2: dependencies.serde: `serde` is a dependency the generated crate has already",
            "line 3: dependencies.\"my crate\": `my crate` is not a package name",
        ]
    );
    assert_eq!(
        problems("crate-name = \"9lives\"\n"),
        [
            "line 1: crate-name: `9lives` is not a package name: use ASCII letters, digits, `-` and `_`, starting with a letter"
        ]
    );
}

#[test]
fn a_derive_the_fields_cannot_satisfy_names_the_field() {
    assert_eq!(
        problems_with(SMALL, "[types.Point]\nderive = [\"Hash\"]\n"),
        ["line 2: types.Point.derive[0]: `Hash` cannot be derived for `Point`: field `x` is `f64`"]
    );
    assert_eq!(
        problems_with(SMALL, "[models]\nderive = [\"Eq\", \"Ord\"]\n"),
        [
            "line 2: models.derive[0]: `Eq` cannot be derived for `Point`: field `x` is `f64`",
            "line 2: models.derive[1]: `Ord` cannot be derived for `Point`: field `x` is `f64`",
        ]
    );
    assert_eq!(
        problems_with(SMALL, "[types.Label]\nderive = [\"Eq\", \"Hash\", \"Ord\", \"schemars::JsonSchema\"]\n"),
        Vec::<String>::new(),
        "derives a string field satisfies, and ones oagen does not check, pass"
    );
}

#[test]
fn selections_that_keep_nothing_are_refused() {
    assert_eq!(
        problems_with(SMALL, "[select]\ntags = [\"points\"]\nexclude-operations = [\"list_points\"]\n"),
        ["line 1: select: selects none of the document's 2 operations"]
    );
}

/// The generated files for `doc` with `toml`.
fn generate(doc: &str, toml: &str) -> std::collections::BTreeMap<String, String> {
    let mut settings = Settings::for_spec(Path::new("doc.yaml"));
    settings.configure(super::parse("oagen.toml", toml).expect("parses"), None);
    crate::pipeline::generate(doc, &settings).expect("generates").files
}

#[test]
fn selection_prunes_what_only_the_rest_used() {
    let all = generate(SMALL, "");
    assert!(all["src/models.rs"].contains("pub struct Unused"));
    let files = generate(SMALL, "[select]\ntags = [\"points\"]\n");
    let models = &files["src/models.rs"];
    assert!(models.contains("pub struct Point") && models.contains("pub enum Tag"), "{models}");
    assert!(!models.contains("pub struct Label") && !models.contains("pub struct Unused"), "{models}");
    assert!(!files["src/client.rs"].contains("list_labels"));
    let kept = generate(SMALL, "[select]\ndeprecated = false\nkeep-unused-schemas = true\n");
    assert!(!kept["src/client.rs"].contains("list_labels"));
    assert!(kept["src/models.rs"].contains("pub struct Label") && kept["src/models.rs"].contains("pub struct Unused"));
}

#[test]
fn the_order_of_keys_does_not_change_the_output() {
    let one = "[types.Label]\nrename = \"Caption\"\nderive = [\"Hash\"]\n[types.Tag.variants]\nred = \"Crimson\"\ngreen = \"Lime\"\n[select]\ntags = [\"labels\", \"points\"]\n";
    let two = "[select]\ntags = [\"labels\", \"points\"]\n[types.Tag.variants]\ngreen = \"Lime\"\nred = \"Crimson\"\n[types.Label]\nderive = [\"Hash\"]\nrename = \"Caption\"\n";
    assert_eq!(generate(SMALL, one), generate(SMALL, two));
    let models = &generate(SMALL, one)["src/models.rs"];
    assert!(models.contains("pub struct Caption") && models.contains("Crimson") && models.contains("Lime"), "{models}");
}

#[test]
fn dependencies_reach_the_manifest() {
    let files = generate(
        SMALL,
        "[formats]\ndouble = \"rust_decimal::Decimal\"\n[dependencies]\nrust_decimal = { version = \"1\", features = [\"serde-str\"] }\nschemars = \"1\"\n",
    );
    let manifest = &files["Cargo.toml"];
    assert!(
        manifest.contains("\n# replaced types and derives\nrust_decimal = { version = \"1\", features = [\"serde-str\"] }\nschemars = \"1\"\n"),
        "{manifest}"
    );
}
